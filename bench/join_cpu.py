"""Server CPU per join, in process: where a join's time goes when nothing else runs.

One app on a temporary SQLite file (the test client, no network, no eventlet): S started
sessions of P participants each; every participant connects once (credential, arrival,
snapshot), measured with `time.process_time` around each connect. Prints CPU ms per join
(mean, p50, p99), the same less what the test client spends taking in what the server
sends (the server's own CPU, as bench/command_cpu.py prints it) and, with --profile,
cProfile's top functions by cumulative time (the test client's included).

    .venv/bin/python bench/join_cpu.py                        # 10 sessions x 25 people
    .venv/bin/python bench/join_cpu.py --sessions 4 --people 60 --profile 25
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server import features  # noqa: E402
from server.app import create_app, socketio_of  # noqa: E402
from server.config import load_settings  # noqa: E402
from server.core import heap  # noqa: E402
from server.core.realtime import NAMESPACE  # noqa: E402
from server.migrate import upgrade  # noqa: E402
from tests.accounts_support import signed_in_client  # noqa: E402
from tests.support import LEFT_AT_ONCE, ONE_ADDRESS_FOR_ALL  # noqa: E402


def make_app(directory: Path, extra: dict[str, str] | None = None) -> Any:
    """The app on a new SQLite file in `directory`; `extra`: more settings."""
    path = directory / "holdsport.db"
    upgrade(f"sqlite:///{path}")
    sqlite3.connect(path).close()
    settings = load_settings(
        {
            "HOLDSPORT_ENV": "test",
            "SECRET_KEY": "bench-secret-key-not-for-production",
            "HOLDSPORT_ARGON2_MEMORY_KIB": "1024",
            "HOLDSPORT_ARGON2_TIME_COST": "1",
            "HOLDSPORT_RATE_LIMIT_SIGN_IN": "100000 per minute",
            "HOLDSPORT_RATE_LIMIT_CONNECT": "100000 per minute",
            "HOLDSPORT_RATE_LIMIT_CONNECT_REFUSED": "100000 per minute",
            **LEFT_AT_ONCE,
            **ONE_ADDRESS_FOR_ALL,
            **(extra or {}),
        },
        database_url=f"sqlite:///{path}",
        async_mode="threading",
    )
    return create_app(settings)


_SENDS = ("_send_packet", "_send_eio_packet")


class Delivery:
    """The CPU the test client spends taking in what the server sends (decoding each
    packet again for each of its clients): not the server's, so it is left out. A real
    server hands each connection the packet it encoded once for them all."""

    def __init__(self, server: Any) -> None:
        self.seconds = 0.0
        self._sends: dict[str, Callable[..., Any]] = {}
        # Every new test client puts its own sends in place (a join makes one): whatever
        # is put there is timed.
        kind = type(server)
        slots = {name: self._slot(name, getattr(kind, name)) for name in _SENDS}
        mine = {name: server.__dict__.pop(name) for name in _SENDS if name in server.__dict__}
        server.__class__ = type(f"Timed{kind.__name__}", (kind,), slots)
        for name, send in mine.items():
            setattr(server, name, send)

    def _slot(self, name: str, original: Any) -> property:
        def get(server: Any) -> Callable[..., Any]:
            return self._sends.get(name) or original.__get__(server)

        def put(_server: Any, send: Callable[..., Any]) -> None:
            self._sends[name] = self._timed(send)

        return property(get, put)

    def _timed(self, send: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any) -> Any:
            start = time.process_time()
            try:
                return send(*args)
            finally:
                self.seconds += time.process_time() - start

        return timed


def connect(io_: Any, app: Any, http: Any, token: str) -> Any:
    auth = {"token": token, "language": "en"}
    client = io_.test_client(app, namespace=NAMESPACE, flask_test_client=http, auth=auth)
    assert client.is_connected(NAMESPACE)
    return client


def prepare(app: Any, io_: Any, sessions: int, people: int) -> list[tuple[Any, str]]:
    """Started sessions, each with its facilitator connected; the participants' tokens."""
    waiting = []
    for n in range(sessions):
        http = signed_in_client(app)
        body = {"title": f"S{n}", "language": "en", "facilitator_name": "Host"}
        made = http.post("/api/sessions", json={**body, "admission": "code"}).get_json()
        host = connect(io_, app, http, made["facilitator_token"])
        assert host.emit("session:start", {}, namespace=NAMESPACE, callback=True)["ok"]
        for p in range(people):
            join = {"join_code": made["join_code"], "display_name": f"P{p}", "language": "en"}
            waiting.append((http, http.post("/api/join", json=join).get_json()["token"]))
    return waiting


def collect_as_the_server_does() -> None:
    """What the set-up made is frozen and no full collection runs by itself, as in the
    server (core.heap): else one, of every object the set-up made, sets the p99."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*heap.THRESHOLDS)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--people", type=int, default=25)
    parser.add_argument("--profile", type=int, default=0, help="print the top N functions")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime")
    args = parser.parse_args()
    features.install()
    with tempfile.TemporaryDirectory() as directory:
        app = make_app(Path(directory))
        io_ = socketio_of(app)
        waiting = prepare(app, io_, args.sessions, args.people)
        collect_as_the_server_does()
        profiler = cProfile.Profile() if args.profile else None
        delivery = Delivery(io_.server)
        spent, served = [], []
        for http, token in waiting:
            if profiler:
                profiler.enable()
            start, delivered = time.process_time(), delivery.seconds
            connect(io_, app, http, token)
            spent.append((time.process_time() - start) * 1000)
            served.append(spent[-1] - (delivery.seconds - delivered) * 1000)
            if profiler:
                profiler.disable()
        app.extensions["holdsport"].db.dispose()
    print(f"{len(spent)} joins ({args.sessions} sessions x {args.people} people)")
    for name, times in (("CPU ms per join", spent), ("server CPU ms per join", served)):
        mean = sum(times) / len(times)
        p50, p99 = percentile(times, 0.5), percentile(times, 0.99)
        print(f"{name}: mean {mean:.2f}  p50 {p50:.2f}  p99 {p99:.2f}")
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        calls = stats.total_calls  # type: ignore[attr-defined]
        print(f"function calls per join: {calls / len(spent):.0f}")
        stats.sort_stats(args.sort).print_stats(args.profile)
        print(out.getvalue())


if __name__ == "__main__":
    main()
