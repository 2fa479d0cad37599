"""The commands behind `python -m server`: serve, migrate, check-config, retention,
backup, create-account, delete-account, reactions, i18n, build-client.

A bad environment stops any of them with one line per bad variable, naming it, and exit
status 2; a database that cannot be reached, with one line and status 1: an operator
reads what to fix, not a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError

from server.config import ConfigError, load_settings
from server.core import logs

if TYPE_CHECKING:
    from server.core.runtime import Runtime

# eventlet's WSGI server stops accepting at 1,024 connections by default.
MAX_CONNECTIONS = 10_000
# After a graceful shutdown's drain, the longest the web server may take to stop.
FORCED_EXIT_SECONDS = 5.0


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
    backup_command = commands.add_parser(
        "backup", help="copy the SQLite database while the server runs (PostgreSQL: pg_dump)"
    )
    backup_command.add_argument("file", help="the new file to write")
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
    deletion = commands.add_parser(
        "delete-account",
        help="delete a facilitator account, and each group nobody else facilitates",
    )
    deletion.add_argument("email")
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
    if args.command == "delete-account":
        return _delete_account(args.email)
    if args.command == "backup":
        from pathlib import Path

        from server.backup import BackupError, backup

        try:
            backup(load_settings().database_url, Path(args.file))
        except BackupError as err:
            print(err)
            return 1
        print(f"copied the database to {args.file}")
        return 0
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
    from server.core import heap, loopwatch, sweeper
    from server.migrate import upgrade

    if migrate:
        upgrade(settings.database_url)
    app = create_app(settings)
    sweeper.start(app)
    if settings.loop_watch:
        loopwatch.start(app.extensions["holdsport"])
    options: dict[str, object] = {"host": host, "port": port}
    if settings.async_mode == "eventlet":
        options.update(max_size=MAX_CONNECTIONS, log_output=False)
    elif settings.async_mode == "threading":
        options.update(allow_unsafe_werkzeug=True)
    runtime = app.extensions["holdsport"]
    _stop_gracefully_on_sigterm(runtime)
    heap.settle(runtime)  # last: what starting made stays frozen
    shown = "127.0.0.1" if host == "0.0.0.0" else host
    print(f"Holdsport is running at http://{shown}:{port}/  (Ctrl+C stops it)", flush=True)
    socketio_of(app).run(app, **options)
    logging.getLogger(__name__).info("stopped")
    if runtime.drain.draining:
        # Stopped after SIGTERM's drain (core.shutdown): nothing is left to finish, and
        # the background tasks that never end (the sweeper, the queue's listener) must
        # not hold the exit.
        runtime.db.dispose()
        logging.shutdown()
        os._exit(0)
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


def _delete_account(email: str) -> int:
    """As the account's own page does it (sessions.hosts.withdraw first). Its sockets,
    and those of its deleted sessions, are closed by their processes' sweepers."""
    from sqlalchemy import select

    from server.accounts import removal
    from server.accounts.models import Account
    from server.accounts.service import normalize_email
    from server.app import create_app
    from server.core.unit import unit_of_work
    from server.sessions import hosts

    settings = load_settings(client_bundle=False, async_mode="threading")
    app = create_app(settings)
    with app.app_context(), unit_of_work(app.extensions["holdsport"]) as unit:
        account = unit.db.scalar(select(Account).where(Account.email == normalize_email(email)))
        if account is None:
            print(f"delete-account: no account has the e-mail address {email}", file=sys.stderr)
            return 1
        alone = hosts.facilitated_alone(unit.db, account.id)
        hosts.withdraw(unit.db, account.id, unit.now)
        removal.delete_account(unit.db, account.id, unit.now)
    print(f"delete-account: {email} is deleted; groups deleted with it: {len(alone)}")
    return 0


def _stop_gracefully_on_sigterm(runtime: Runtime) -> None:
    """SIGTERM (a restart): hand the connections on (core.shutdown), then stop the web
    server. Under eventlet and gevent; the threading server is for development only."""
    import signal

    from server.core import shutdown

    mode = runtime.settings.async_mode
    if mode == "eventlet":
        import eventlet
        import greenlet

        main = greenlet.getcurrent()  # where eventlet.wsgi.server will wait for connections
        _wake_the_hub_on_signals()

        def stop() -> None:
            try:
                shutdown.drain(runtime)
            finally:
                # Leaves its accept loop; a connection that still hangs on cannot keep us.
                eventlet.spawn_after(FORCED_EXIT_SECONDS, os._exit, 0)
                eventlet.hubs.get_hub().schedule_call_global(0, main.throw, SystemExit())

    elif mode == "gevent":

        def stop() -> None:
            try:
                shutdown.drain(runtime)
            finally:
                runtime.socketio.wsgi_server.stop(timeout=FORCED_EXIT_SECONDS)

    else:
        return
    begun: list[bool] = []

    def on_signal(signum: int, frame: object) -> None:
        if not begun:  # a second SIGTERM changes nothing; SIGKILL stops at once
            begun.append(True)
            runtime.socketio.start_background_task(stop)

    signal.signal(signal.SIGTERM, on_signal)


def _wake_the_hub_on_signals() -> None:
    """Python runs a signal's handler in the main thread, which eventlet's hub keeps
    asleep until its next timer (up to a sweep) when the signal reached another thread;
    the signal is also written to a pipe the hub watches, which wakes it at once."""
    import signal

    import eventlet.hubs

    readable, writable = os.pipe()
    os.set_blocking(writable, False)
    signal.set_wakeup_fd(writable)

    def empty_the_pipe() -> None:
        while True:
            eventlet.hubs.trampoline(readable, read=True)
            os.read(readable, 512)

    eventlet.spawn(empty_the_pipe)
