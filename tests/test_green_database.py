"""Under eventlet, waiting for PostgreSQL lets the process serve others meanwhile.

psycopg waits for the server in C unless told otherwise, which would hold the whole event
loop through every round trip: every screen of every session would wait for one query.
The serving process is set up as `python -m server serve` sets it up (server/__main__.py),
in a process of its own; a greenlet counts while another waits for a slow query.
"""

from __future__ import annotations

import os
import subprocess
import sys

import sqlalchemy

from tests.support import ROOT, postgres_url, require

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

SERVING_PROCESS = """
import sys, time
from server.__main__ import _prepare_async_mode
_prepare_async_mode()
import eventlet
from sqlalchemy import text
from server.core.db import make_engine

ticks = []
def count():
    while True:
        ticks.append(time.monotonic())
        eventlet.sleep(0.01)

eventlet.spawn(count)
engine = make_engine(sys.argv[1])
with engine.connect() as connection:
    connection.execute(text("SELECT 1"))
    eventlet.sleep(0.05)
    began = time.monotonic()
    connection.execute(text("SELECT pg_sleep(0.5)"))
    ended = time.monotonic()
    # Bigger than the socket's buffers: psycopg waits to write more and to read at once.
    big = "x" * 8_000_000
    echoed = connection.execute(text("SELECT length(:big)"), {"big": big}).scalar()
import psycopg.waiting
print(psycopg.waiting.wait.__qualname__, echoed, sum(began < tick < ended for tick in ticks))
"""


def _reachable(url: str) -> bool:
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect():
            return True
    except sqlalchemy.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def test_the_loop_runs_while_a_query_waits_for_postgresql():
    url = postgres_url() or LOCAL_POSTGRES
    require(_reachable(url), f"PostgreSQL is not reachable at {url}")
    environment = {**os.environ, "HOLDSPORT_ASYNC_MODE": "eventlet"}
    environment.pop("PSYCOPG_WAIT_FUNC", None)
    counted = subprocess.run(
        [sys.executable, "-c", SERVING_PROCESS, url],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    waited_with, echoed, ticks = counted.stdout.split()[-3:]
    assert waited_with == "wait_green" and echoed == "8000000", counted.stdout
    # A loop held by the query counts once at most; a free one about every 10 ms of 500.
    assert int(ticks) >= 10, counted.stdout
