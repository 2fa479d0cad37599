"""Fan-out benchmark: how fast an agenda change reaches every screen, and what each
connection costs the server.

Starts the production server (the Procfile's command, eventlet) on 127.0.0.1 with a
throw-away SQLite database, connects N Socket.IO clients to one session from a single
asyncio process, and has the facilitator change the agenda (raise and lower a hand)
again and again. For every change it records, per client, the time from sending the
command to receiving the `agenda:updated` event. Prints one row per N.

    .venv/bin/python bench/fanout.py                 # N = 50, 200, 500
    .venv/bin/python bench/fanout.py --clients 1000 --rounds 20
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live_client import create_session  # noqa: E402
from tests.support import ONE_ADDRESS_FOR_ALL, ServerProcess  # noqa: E402  (runs the Procfile)

NAMESPACE = "/session"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def post(http: aiohttp.ClientSession, url: str, body: dict) -> dict:
    async with http.post(url, json=body) as reply:
        return await reply.json()


class Screen:
    """One connected client that notes when each agenda version arrives."""

    def __init__(self, arrivals: dict[int, list[float]]) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.arrivals = arrivals
        self.sio.on("agenda:updated", self.on_updated, namespace=NAMESPACE)

    async def on_updated(self, payload: dict) -> None:
        self.arrivals.setdefault(payload["version"], []).append(time.perf_counter())

    async def connect(self, url: str, token: str) -> None:
        await self.sio.connect(
            url,
            namespaces=[NAMESPACE],
            auth={"token": token},
            transports=["websocket"],
            wait_timeout=30,
        )


async def measure(url: str, pid: int, clients: int, rounds: int) -> dict:
    arrivals: dict[int, list[float]] = {}
    async with aiohttp.ClientSession() as http:
        # A session needs a signed-in facilitator: a new account makes it.
        host = await asyncio.to_thread(create_session, url, title="Bench", language="en")
        before = rss_kib(pid)
        screens = []
        for index in range(clients):
            joined = await post(
                http,
                f"{url}/api/join",
                {"join_code": host["join_code"], "display_name": f"P{index}", "language": "en"},
            )
            screen = Screen(arrivals)
            await screen.connect(url, joined["token"])
            screens.append(screen)
        after = rss_kib(pid)
        facilitator = Screen(arrivals)
        await facilitator.connect(url, host["facilitator_token"])
        await facilitator.sio.call("session:start", {}, namespace=NAMESPACE)
        await asyncio.sleep(0.5)
        latencies: list[float] = []
        for round_number in range(rounds):
            command = "hand:raise" if round_number % 2 == 0 else "hand:lower"
            arrivals.clear()
            sent = time.perf_counter()
            reply = await facilitator.sio.call(command, {}, namespace=NAMESPACE)
            assert reply["ok"], reply
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                got = max((len(v) for v in arrivals.values()), default=0)
                if got >= clients + 1:
                    break
                await asyncio.sleep(0.005)
            [times] = [v for v in arrivals.values() if len(v) >= clients + 1] or [[]]
            if not times:
                raise RuntimeError(f"round {round_number}: not every client got the event")
            latencies.extend(t - sent for t in times)
        for screen in [*screens, facilitator]:
            await screen.sio.disconnect()
    latencies.sort()
    return {
        "clients": clients,
        "events": len(latencies),
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "max_ms": 1000 * latencies[-1],
        "kib_per_connection": (after - before) / max(1, clients),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="*", default=[50, 200, 500])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    rows = []
    for clients in args.clients:
        with tempfile.TemporaryDirectory() as scratch:
            server = ServerProcess(f"sqlite:///{scratch}/bench.db", **ONE_ADDRESS_FOR_ALL)
            server.release()
            server.start()
            try:
                assert server.process is not None
                rows.append(
                    asyncio.run(measure(server.url, server.process.pid, clients, args.rounds))
                )
            finally:
                server.stop()
    header = ("clients", "events", "p50 ms", "p95 ms", "p99 ms", "max ms", "KiB/conn")
    print(" | ".join(f"{h:>9}" for h in header))
    print("-|-".join("-" * 9 for _ in header))
    for row in rows:
        print(" | ".join(f"{v:>9.1f}" if isinstance(v, float) else f"{v:>9}" for v in row.values()))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
