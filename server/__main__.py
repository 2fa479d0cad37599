"""Command line: `python -m server serve|migrate|i18n ...`.

The async mode is chosen here and only here: eventlet (and gevent) must patch the
standard library before anything else is imported, so this runs first.
"""

from __future__ import annotations

import os
import sys
import warnings


def _prepare_async_mode() -> None:
    mode = os.environ.get("HOLDSPORT_ASYNC_MODE", "eventlet")
    if mode == "eventlet":
        # Eventlet announces its bugfix-only maintenance on import; we know, and chose it.
        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
        import eventlet

        eventlet.monkey_patch()
        # psycopg waits for PostgreSQL in C unless told otherwise, which holds the whole
        # loop for every round trip: a green wait instead (core.green_wait), unless the
        # operator chose one of psycopg's own.
        chosen = "PSYCOPG_WAIT_FUNC" in os.environ
        os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")  # not C, whatever comes
        if not chosen:
            from server.core import green_wait

            green_wait.install()
        from server.core import frames

        frames.install()  # a broadcast's WebSocket frames compressed once, not per screen
    elif mode == "gevent":
        from gevent import monkey

        monkey.patch_all()


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        _prepare_async_mode()
    from server.cli import main

    sys.exit(main(sys.argv[1:]))
