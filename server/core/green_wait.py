"""psycopg's wait for PostgreSQL, as one green wait on its socket (eventlet only).

psycopg waits in C unless told otherwise, which would hold the whole process for every
round trip, and a command waiting there for a session's lock that another command of
the same process holds would wait for ever. Its `wait_select` is green once eventlet
patched `select`, but every round trip then also builds a green select and schedules
and cancels a timer (its 0.1 s interval, there to notice Ctrl-C) in the hub: a tenth of
the process's samples while sending on PostgreSQL (bench/load.py --profile). Here a round
trip is one listener on the socket and nothing else; a wait with a deadline is left to
`wait_select`.

The entry point installs it (server/__main__.py) after patching, before serving.
"""

from __future__ import annotations

from typing import Any

from eventlet.green import select
from eventlet.hubs import trampoline
from psycopg import waiting
from psycopg.waiting import READY_R, READY_W, WAIT_R, WAIT_W


def wait_green(gen: Any, fileno: int, interval: float = 0.0, timeout: float | None = None) -> Any:
    """Drive psycopg's generator: it says what it waits for, and is told when it may go on."""
    if timeout is not None:
        return waiting.wait_select(gen, fileno, interval, timeout)
    try:
        wanted = next(gen)
        while True:
            if wanted == WAIT_R:
                trampoline(fileno, read=True)
                wanted = gen.send(READY_R)
            elif wanted == WAIT_W:
                trampoline(fileno, write=True)
                wanted = gen.send(READY_W)
            else:  # both at once: rare (a large query still being sent)
                readable, writable, _ = select.select([fileno], [fileno], [])
                wanted = gen.send((READY_R if readable else 0) | (READY_W if writable else 0))
    except StopIteration as finished:
        return finished.value


def install() -> None:
    waiting.wait = wait_green
