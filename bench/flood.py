"""Flood benchmark: what one person sending thousands of commands a second costs everyone else.

Starts the production server (the Procfile's command, eventlet) on 127.0.0.1 with a
throw-away SQLite database. N sessions of 10 people each send one ordinary command per
session per second (`participant:set_location`, a write that reaches all ten screens),
spread over the second, and the ack latency of each is recorded: first with nobody
flooding, then while one participant of another session sends `participant:set_location`
about 2,000 times a second from two tabs (a separate process). By default the flooder
tries to connect again every 0.1 s once the server has dropped it, and floods again when
it gets in. Prints one row per phase: commands sent, acks missing, refused, p50/p99/max
latency.

    .venv/bin/python bench/flood.py                      # N = 20 sessions, 20 s per phase
    .venv/bin/python bench/flood.py --sessions 50 --seconds 30 --no-reconnect
    .venv/bin/python bench/flood.py --sessions 50 --seconds 30 --rate 2   # a control
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
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

from tests.support import ONE_ADDRESS_FOR_ALL, PEOPLES_BUDGET, ServerProcess  # noqa: E402  (runs the Procfile)

NAMESPACE = "/session"
PEOPLE = 10
TIMEOUT = 30.0  # an ack later than this counts as missing


async def post(http: aiohttp.ClientSession, url: str, body: dict) -> dict:
    async with http.post(url, json=body) as reply:
        return await reply.json()


async def connect(url: str, token: str) -> socketio.AsyncClient:
    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(url, namespaces=[NAMESPACE], auth={"token": token}, transports=["websocket"])
    return sio


async def new_session(http: aiohttp.ClientSession, url: str, title: str) -> tuple[dict, list[str]]:
    host = await post(
        http,
        f"{url}/api/sessions",
        {"title": title, "language": "en", "facilitator_name": "Host", "admission": "code"},
    )
    tokens = [host["facilitator_token"]]
    for index in range(PEOPLE - 1):
        body = {"join_code": host["join_code"], "display_name": f"P{index}", "language": "en"}
        tokens.append((await post(http, f"{url}/api/join", body))["token"])
    return host, tokens


class Phase:
    def __init__(self, name: str) -> None:
        self.name = name
        self.latencies: list[float] = []
        self.sent = 0
        self.missing = 0
        self.refused = 0

    def row(self, sessions: int) -> tuple:
        ordered = sorted(self.latencies) or [0.0]
        return (
            self.name,
            sessions,
            self.sent,
            self.missing,
            self.refused,
            1000 * statistics.median(ordered),
            1000 * ordered[int(0.99 * (len(ordered) - 1))],
            1000 * ordered[-1],
        )


async def one_command(sio: socketio.AsyncClient, location: str, phase: Phase) -> None:
    phase.sent += 1
    sent = time.perf_counter()
    try:
        reply = await sio.call(
            "participant:set_location", {"location": location}, namespace=NAMESPACE, timeout=TIMEOUT
        )
    except Exception:
        phase.missing += 1
        return
    phase.latencies.append(time.perf_counter() - sent)
    if not reply.get("ok"):
        phase.refused += 1


async def steady(people: list[list[socketio.AsyncClient]], seconds: float, phase: Phase) -> None:
    """Each session sends one command a second, the sessions spread over the second."""
    pending = []
    start = time.perf_counter()
    tick = 0
    while time.perf_counter() - start < seconds:
        for index, session in enumerate(people):
            due = start + tick + index / len(people)
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            sender = session[tick % len(session)]
            location = "room" if tick % 2 else "remote"
            pending.append(asyncio.ensure_future(one_command(sender, location, phase)))
        tick += 1
    await asyncio.gather(*pending)


def flood(url: str, token: str, seconds: float, rate: int, reconnect: bool, report) -> None:  # type: ignore[no-untyped-def]
    """In its own process: two tabs of one person, `rate` commands a second in all."""

    async def tab(per_tab: int) -> tuple[int, int, int, float]:
        sent = acks = drops = 0
        connected = 0.0
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            try:
                sio = await connect(url, token)
            except Exception:
                await asyncio.sleep(0.1)
                continue

            def acked(_reply: dict) -> None:
                nonlocal acks
                acks += 1

            start, count = time.perf_counter(), 0
            while sio.connected and time.perf_counter() < end:
                location = "room" if count % 2 else "remote"
                try:
                    await sio.emit(
                        "participant:set_location",
                        {"location": location},
                        namespace=NAMESPACE,
                        callback=acked,
                    )
                except Exception:
                    break
                count += 1
                ahead = count / per_tab - (time.perf_counter() - start)
                await asyncio.sleep(max(0.0, ahead))
            sent += count
            connected += time.perf_counter() - start
            if sio.connected:
                await sio.disconnect()
            else:
                drops += 1
            if not reconnect:
                break
        return sent, acks, drops, connected

    async def both() -> list[tuple[int, int, int, float]]:
        return await asyncio.gather(tab(rate // 2), tab(rate // 2))

    # In production the flooder's machine pays for its flood; here it shares the cores
    # with the server and the measuring clients, so it gets what they leave.
    os.nice(10)
    results = asyncio.run(both())
    sent, acks, drops, connected = (sum(column) for column in zip(*results, strict=True))
    report.put((sent, acks, drops, 2 * sent / max(connected, 1e-9)))


async def measure(url: str, sessions: int, seconds: float, rate: int, reconnect: bool) -> list:
    async with aiohttp.ClientSession() as http:
        people = []
        for index in range(sessions):
            _, tokens = await new_session(http, url, f"Bench {index}")
            people.append([await connect(url, token) for token in tokens])
        loud = await post(
            http,
            f"{url}/api/sessions",
            {"title": "Loud", "language": "en", "facilitator_name": "L", "admission": "code"},
        )
        body = {"join_code": loud["join_code"], "display_name": "Flood", "language": "en"}
        flooder = (await post(http, f"{url}/api/join", body))["token"]
    await asyncio.sleep(1)

    quiet = Phase("no flood")
    await steady(people, seconds, quiet)
    await asyncio.sleep(2)

    loud_phase = Phase("flood, reconnecting" if reconnect else "flood, dropped")
    spawn = multiprocessing.get_context("spawn")  # a fresh process: no event loop inherited
    report = spawn.Queue()
    flooding = spawn.Process(
        target=flood, args=(url, flooder, seconds + 2, rate, reconnect, report)
    )
    flooding.start()
    await asyncio.sleep(1)  # the flood is on before the first measured command
    await steady(people, seconds, loud_phase)
    flooded = await asyncio.get_running_loop().run_in_executor(None, report.get)
    flooding.join()
    for session in people:
        for sio in session:
            await sio.disconnect()
    return [quiet, loud_phase, flooded]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0, help="per phase")
    parser.add_argument("--rate", type=int, default=2000, help="flood commands per second")
    parser.add_argument("--no-reconnect", dest="reconnect", action="store_false")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        # The budgets as deployed (test servers get budgets no test reaches).
        env = {**PEOPLES_BUDGET, **ONE_ADDRESS_FOR_ALL}
        server = ServerProcess(f"sqlite:///{scratch}/bench.db", **env)
        server.release()
        server.start()
        try:
            quiet, loud, (sent, acks, drops, rate) = asyncio.run(
                measure(server.url, args.sessions, args.seconds, args.rate, args.reconnect)
            )
        finally:
            server.stop()
    header = ("phase", "sessions", "commands", "missing", "refused", "p50 ms", "p99 ms", "max ms")
    print(" | ".join(f"{h:>20}" if i == 0 else f"{h:>9}" for i, h in enumerate(header)))
    print("-|-".join("-" * (20 if i == 0 else 9) for i in range(len(header))))
    for phase in (quiet, loud):
        row = phase.row(args.sessions)
        print(
            " | ".join(
                f"{v:>20}" if i == 0 else (f"{v:>9.1f}" if isinstance(v, float) else f"{v:>9}")
                for i, v in enumerate(row)
            )
        )
    print(
        f"\nflooder: {sent} commands sent ({rate:.0f} a second while connected), "
        f"{acks} answered, dropped {drops} times"
    )
    quiet_p99, loud_p99 = quiet.row(0)[6], loud.row(0)[6]
    print(f"p99 with the flood / without: {loud_p99 / max(quiet_p99, 1e-9):.2f}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
