"""The commands behind `python -m server`: serve, migrate, check-config, retention,
create-account, reactions, i18n, build-client.

A bad environment stops any of them with one line per bad variable, naming it, and exit
status 2; a database that cannot be reached, with one line and status 1: an operator
reads what to fix, not a traceback.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import OperationalError

from server.config import ConfigError, load_settings
from server.core import logs

# eventlet's WSGI server stops accepting at 1,024 connections by default.
MAX_CONNECTIONS = 10_000


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m server")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the server (migrates first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument(
        "--no-migrate",
        action="store_true",
        help="skip the schema upgrade (the Procfile's release step does it)",
    )
    commands.add_parser("migrate", help="upgrade the database schema")
    commands.add_parser(
        "check-config", help="check the environment; print the settings it gives (no secrets)"
    )
    commands.add_parser(
        "retention", help="forget what people wrote in sessions past their retention time, now"
    )
    reactions = commands.add_parser(
        "reactions", help="print every reaction between features (Markdown)"
    )
    reactions.add_argument("--write", metavar="FILE", help="replace the table in this file")
    account = commands.add_parser(
        "create-account", help="make a facilitator account (the password is asked for)"
    )
    account.add_argument("--email", required=True)
    account.add_argument("--name", required=True, help="the name others see")
    account.add_argument("--language", default="da", choices=["da", "en"])
    commands.add_parser(
        "build-client", help="bundle the browser client into client/dist (if it changed)"
    )
    i18n = commands.add_parser("i18n", help="extract messages; update the da and en catalogs")
    i18n.add_argument("action", choices=["extract", "update"])
    args = parser.parse_args(argv)

    logs.configure("text")  # serve reads HOLDSPORT_LOG_FORMAT once the settings are checked
    try:
        return _run(args)
    except ConfigError as err:
        print(err, file=sys.stderr)
        return 2
    except OperationalError as err:
        # The driver's first line says why (refused, unknown host, wrong password), never
        # the password itself.
        reason = str(err.orig).strip().splitlines()[0] if err.orig else type(err).__name__
        print(f"DATABASE_URL: cannot use the database: {reason}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        return _serve(args.host, args.port, migrate=not args.no_migrate)
    if args.command == "reactions":
        from pathlib import Path

        from server.features import reactions_table, write_reactions_table

        if args.write:
            write_reactions_table(Path(args.write))
        else:
            print(reactions_table())
        return 0
    if args.command == "build-client":
        from server.web.bundle import BuildError, fresh_manifest

        try:
            manifest = fresh_manifest()
        except BuildError as err:
            print(err)
            return 1
        if manifest is None:
            print("esbuild is not installed: run npm ci --prefix client")
            return 1
        print("\n".join(f"{path} -> {name}" for path, name in manifest["files"].items()))
        return 0
    if args.command == "create-account":
        from server.accounts.cli import create_account

        return create_account(args.email, args.name, args.language)
    if args.command == "migrate":
        from server.migrate import upgrade

        upgrade(load_settings().database_url)
        return 0
    if args.command == "check-config":
        from server.operations.cli import check_config

        return check_config()
    if args.command == "retention":
        return _retention()
    from server import translate

    return translate.run(args.action)


def _serve(host: str, port: int, migrate: bool) -> int:
    # The settings first: a bad environment says so before any import logs a word.
    settings = load_settings()
    logs.configure(settings.log_format)
    from server.app import create_app, socketio_of
    from server.core import sweeper
    from server.migrate import upgrade

    if migrate:
        upgrade(settings.database_url)
    app = create_app(settings)
    sweeper.start(app)
    options: dict[str, object] = {"host": host, "port": port}
    if settings.async_mode == "eventlet":
        options.update(max_size=MAX_CONNECTIONS, log_output=False)
    elif settings.async_mode == "threading":
        options.update(allow_unsafe_werkzeug=True)
    shown = "127.0.0.1" if host == "0.0.0.0" else host
    print(f"Holdsport is running at http://{shown}:{port}/  (Ctrl+C stops it)", flush=True)
    socketio_of(app).run(app, **options)
    return 0


def _retention() -> int:
    """What the sweeper does on every beat, once, for an operator who will not wait."""
    from server.app import create_app
    from server.core.unit import unit_of_work
    from server.sessions.retention import expire_due_content

    # No pages are served (no build) and no server runs (no eventlet).
    settings = load_settings(client_bundle=False, async_mode="threading")
    app = create_app(settings)
    with app.app_context(), unit_of_work(app.extensions["holdsport"]) as unit:
        expired = expire_due_content(unit.db, unit.now, settings.retention_days)
    print(f"retention: the content of {len(expired)} ended sessions was deleted")
    return 0
