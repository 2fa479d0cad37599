"""Network benchmark: does a session of 60 in 20 breakout trios see its groups' changes as
fast as a session of 10?

Starts the production server (the Procfile's command, eventlet) on 127.0.0.1 with a
throw-away SQLite database (or `--database-url`), signs up a facilitator and runs, one
after the other, each with its own session and its own connected Socket.IO clients:

- A, hands: 10 participants and the facilitator in an open discussion; participants
  raise and lower their hands in turn, as often as the groups of A move on below.
  Timed from the command to the `agenda:updated` that shows it, on all 11 screens.
- A, breakouts: the same session moves on (`agenda:next`) into a breakout phase: 10
  people in trios (groups of 4, 3 and 3). A member of each group in turn sends `breakout:next`.
- B, breakouts: 60 participants from 12 organisations and the facilitator in a breakout
  phase of 20 trios, the same way.

In the breakout scenarios every group moves on once every `--group-period` seconds
(B: 20 groups, one group every 100 ms round-robin; A: 3 groups, the same pace per
group), and a change counts as arrived on a screen when that screen's
`breakout:updated` shows the group at its new `segment`: on each member's screen and
the host's. "deliveries" counts every event the scenario's screens received (a group's
change reaches every screen of the session, each with its own view); "bytes" is their
mean JSON size. "server %" is the server process's share of one core over the timed
window, "server ms" its CPU time per change made (refused commands aside), less its
CPU at rest, and "client %" the measuring process's share.
Below the table: each scenario's command-to-ack times (the server acks once it has
published, so these are its share of the latency) and the server's CPU at rest. The
server's CPU per change hardly depends on what else runs on the machine; the latencies
do (the load average is printed with the table; `--priority` renices server and
clients).

    .venv/bin/python bench/network.py                       # 20 s per scenario
    .venv/bin/python bench/network.py --seconds 10 --group-period 1
    .venv/bin/python bench/network.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import ONE_ADDRESS_FOR_ALL, ServerProcess  # noqa: E402  (runs the Procfile)

NAMESPACE = "/session"
SETTLE_SECONDS = 5.0  # how long a change may still arrive after the last one was sent
REST_SECONDS = 2.0  # the server's CPU at rest is measured this long before each scenario


def cpu_seconds(pid: int) -> float:
    """User and system time of a process so far (/proc: no psutil needed)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Pending:
    """One change: when it was sent, and the screens that have not shown it yet."""

    sent: float
    waiting: set[int]


@dataclass
class Recorder:
    """What the screens of one scenario received while it was timed."""

    timing: bool = False
    pending: dict[Any, Pending] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    changes: int = 0
    refused: int = 0
    deliveries: int = 0
    payload_bytes: int = 0
    refusals: Counter[str] = field(default_factory=Counter)
    # Command to ack: the server's share of the latency (it acks once it has published).
    acks: list[float] = field(default_factory=list)

    def expect(self, key: Any, screens: set[int]) -> None:
        self.changes += 1
        self.pending[key] = Pending(time.perf_counter(), set(screens))

    def arrived(self, key: Any, screen: int, at: float) -> None:
        change = self.pending.get(key)
        if change is None or screen not in change.waiting:
            return
        change.waiting.discard(screen)
        self.latencies.append(at - change.sent)
        if not change.waiting:
            del self.pending[key]

    def received(self, payload: dict) -> None:
        if self.timing:
            self.deliveries += 1
            self.payload_bytes += len(json.dumps(payload, separators=(",", ":")))

    def acked(self, sent: float, reply: dict) -> None:
        self.acks.append(time.perf_counter() - sent)
        if not reply.get("ok"):
            self.refused += 1
            self.refusals[reply["error"]["code"]] += 1


class Screen:
    """One connected client: a participant's or the host's."""

    def __init__(self, number: int, participant_id: int, host: bool, recorder: Recorder) -> None:
        self.number = number
        self.participant_id = participant_id
        self.host = host
        self.recorder = recorder
        self.my_group: dict | None = None
        self.phase_id: int | None = None
        self.segment: int | None = None  # the agenda's
        self.hands: set[int] = set()
        self.sending: set[asyncio.Future] = set()
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("session:snapshot", self.on_snapshot, namespace=NAMESPACE)
        self.sio.on("agenda:updated", self.on_agenda, namespace=NAMESPACE)
        self.sio.on("breakout:updated", self.on_breakouts, namespace=NAMESPACE)

    async def connect(self, url: str, token: str) -> None:
        await self.sio.connect(
            url,
            namespaces=[NAMESPACE],
            auth={"token": token},
            transports=["websocket"],
            wait_timeout=30,
        )

    async def call(self, event: str, body: dict) -> dict:
        reply = await self.sio.call(event, body, namespace=NAMESPACE, timeout=30)
        assert reply["ok"], (event, reply)
        return reply

    def send(self, event: str, body: dict) -> None:
        """Without waiting for the ack: the sender keeps its pace."""
        recorder, sent = self.recorder, time.perf_counter()
        sending = asyncio.ensure_future(
            self.sio.emit(
                event,
                body,
                namespace=NAMESPACE,
                callback=lambda reply: recorder.acked(sent, reply),
            )
        )
        self.sending.add(sending)
        sending.add_done_callback(self.sending.discard)

    async def on_snapshot(self, snapshot: dict) -> None:
        self.segment = snapshot["agenda"]["segment"]

    async def on_agenda(self, payload: dict) -> None:
        at = time.perf_counter()
        self.recorder.received(payload)
        self.segment = payload["agenda"]["segment"]
        hands = {hand["participant_id"] for hand in payload["agenda"]["hands"]}
        for participant_id in hands - self.hands:
            self.recorder.arrived(("hand", participant_id, True), self.number, at)
        for participant_id in self.hands - hands:
            self.recorder.arrived(("hand", participant_id, False), self.number, at)
        self.hands = hands

    async def on_breakouts(self, payload: dict) -> None:
        at = time.perf_counter()
        self.recorder.received(payload)
        rounds = payload["breakouts"]["rounds"]
        if not rounds:
            return
        current = rounds[-1]
        self.phase_id = current["phase_id"]
        self.my_group = current["my_group"]
        groups = current["groups"] if self.host else [self.my_group] if self.my_group else []
        for group in groups:
            self.recorder.arrived(("group", group["number"], group["segment"]), self.number, at)


@dataclass
class Row:
    scenario: str
    participants: int
    recorder: Recorder
    seconds: float
    server_cpu: float
    client_cpu: float
    server_at_rest: float  # CPU seconds a second

    @property
    def accepted(self) -> int:
        return self.recorder.changes - self.recorder.refused

    @property
    def server_ms_per_change(self) -> float:
        """The server's CPU time for each change made, less what it spends at rest."""
        busy = self.server_cpu - self.server_at_rest * self.seconds
        return 1000 * busy / max(1, self.accepted)

    def cells(self) -> tuple:
        ordered = sorted(self.recorder.latencies) or [float("nan")]

        def at(share: float) -> float:
            return 1000 * ordered[int(share * (len(ordered) - 1))]

        missing = sum(len(p.waiting) for p in self.recorder.pending.values())
        return (
            self.scenario,
            self.participants,
            self.recorder.changes,
            self.recorder.refused,
            len(self.recorder.latencies),
            missing,
            self.recorder.deliveries,
            1000 * statistics.median(ordered),
            at(0.95),
            at(0.99),
            1000 * ordered[-1],
            self.recorder.payload_bytes / max(1, self.recorder.deliveries),
            100 * self.server_cpu / self.seconds,
            self.server_ms_per_change,
            100 * self.client_cpu / self.seconds,
        )


HEADER = (
    "scenario",
    "people",
    "changes",
    "refused",
    "arrivals",
    "missing",
    "deliveries",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "max ms",
    "bytes",
    "server %",
    "server ms",
    "client %",
)


class Bench:
    def __init__(self, url: str, pid: int, http: aiohttp.ClientSession) -> None:
        self.url = url
        self.pid = pid
        self.http = http

    async def post(self, path: str, body: dict, expect: int = 201) -> dict:
        async with self.http.post(f"{self.url}{path}", json=body) as reply:
            answer = await reply.json()
            assert reply.status == expect, answer
            return answer  # type: ignore[no-any-return]

    async def sign_up(self) -> None:
        body = {
            "email": f"bench.{time.monotonic_ns()}@example.org",
            "display_name": "Host",
            "password": "a long enough password",
            "language": "en",
        }
        account = await self.post("/api/account/sign-up", body)
        self.http.headers["X-CSRF-Token"] = account["csrf_token"]

    async def session(
        self, people: int, organisations: int, recorder: Recorder
    ) -> tuple[Screen, list[Screen]]:
        """A started open discussion with a breakout phase after it, everyone connected."""
        body = {"title": "Network", "language": "en", "admission": "code"}
        created = await self.post("/api/sessions", body)
        host = Screen(0, created["participant_id"], True, recorder)
        await host.connect(self.url, created["facilitator_token"])
        screens = []
        for index in range(people):
            body = {
                "join_code": created["join_code"],
                "display_name": f"Person {index}",
                "organisation": f"Organisation {index % organisations}",
                "language": "en",
            }
            joined = await self.post("/api/join", body)
            screen = Screen(index + 1, joined["participant_id"], False, recorder)
            await screen.connect(self.url, joined["token"])
            screens.append(screen)
        phase = {"kind": "breakout", "title": "Trios", "minutes": 45}
        await host.call("agenda:add_phase", phase)
        await host.call("session:start", {})
        await asyncio.sleep(0.5)
        return host, screens

    async def timed(
        self, recorder: Recorder, seconds: float, interval: float, change: Callable[[int], None]
    ) -> tuple[float, float, float, float]:
        """Make `change(tick)` every `interval` seconds for `seconds`, then wait for the
        last arrivals. Returns the window, the server's and this process's CPU time, and
        the server's CPU share at rest just before (its sweeper's beat and the like)."""
        rest = cpu_seconds(self.pid)
        await asyncio.sleep(REST_SECONDS)
        at_rest = (cpu_seconds(self.pid) - rest) / REST_SECONDS
        recorder.timing = True
        server, client = cpu_seconds(self.pid), time.process_time()
        start = time.perf_counter()
        tick = 0
        while time.perf_counter() - start < seconds:
            await asyncio.sleep(max(0.0, start + tick * interval - time.perf_counter()))
            change(tick)
            tick += 1
        settle = time.perf_counter() + SETTLE_SECONDS
        while recorder.pending and time.perf_counter() < settle:
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - start
        recorder.timing = False
        return elapsed, cpu_seconds(self.pid) - server, time.process_time() - client, at_rest

    async def hands(self, host: Screen, screens: list[Screen], seconds: float, interval: float):
        recorder = host.recorder
        everyone = {s.number for s in [host, *screens]}

        def toggle(tick: int) -> None:
            screen = screens[tick % len(screens)]
            up = screen.participant_id not in screen.hands
            recorder.expect(("hand", screen.participant_id, up), everyone)
            screen.send("hand:raise" if up else "hand:lower", {})

        return await self.timed(recorder, seconds, interval, toggle)

    async def breakouts(
        self, host: Screen, screens: list[Screen], seconds: float, group_period: float
    ):
        recorder = host.recorder
        groups: dict[int, list[Screen]] = {}
        for screen in screens:
            assert screen.my_group is not None, "everyone present has a seat"
            groups.setdefault(screen.my_group["number"], []).append(screen)
        numbers = sorted(groups)
        moves = {number: 0 for number in numbers}

        def move_on(tick: int) -> None:
            number = numbers[tick % len(numbers)]
            members = groups[number]
            sender = members[moves[number] % len(members)]
            moves[number] += 1
            assert sender.my_group is not None and sender.phase_id is not None
            segment = sender.my_group["segment"]
            watching = {host.number, *(m.number for m in members)}
            recorder.expect(("group", number, segment + 1), watching)
            body = {"phase_id": sender.phase_id, "group": number, "segment": segment}
            sender.send("breakout:next", body)

        return await self.timed(recorder, seconds, group_period / len(numbers), move_on)

    async def enter_breakouts(self, host: Screen, screens: list[Screen]) -> None:
        assert host.segment is not None
        await host.call("agenda:next", {"segment": host.segment})
        deadline = time.monotonic() + 30
        while any(s.my_group is None for s in screens):
            assert time.monotonic() < deadline, "not everyone got a group"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)

    async def run(self, args: argparse.Namespace) -> list[Row]:
        await self.sign_up()
        rows = []
        small, large = Recorder(), Recorder()

        host, screens = await self.session(args.small, args.organisations_small, small)
        groups = -(-args.small // 3)
        window = await self.hands(host, screens, args.seconds, args.group_period / groups)
        rows.append(Row("A hands", args.small, small, *window))

        small_breakouts = Recorder()
        for screen in [host, *screens]:
            screen.recorder = small_breakouts
        await self.enter_breakouts(host, screens)
        window = await self.breakouts(host, screens, args.seconds, args.group_period)
        rows.append(Row("A breakouts", args.small, small_breakouts, *window))
        await disconnect([host, *screens])

        host, screens = await self.session(args.large, args.organisations, large)
        await self.enter_breakouts(host, screens)
        window = await self.breakouts(host, screens, args.seconds, args.group_period)
        rows.append(Row("B breakouts", args.large, large, *window))
        await disconnect([host, *screens])
        return rows


async def disconnect(screens: list[Screen]) -> None:
    for screen in screens:
        await screen.sio.disconnect()


async def measure(url: str, pid: int, args: argparse.Namespace) -> list[Row]:
    # The login cookie comes from 127.0.0.1: aiohttp keeps an IP address's cookies only
    # in an "unsafe" jar.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        return await Bench(url, pid, http).run(args)


def print_table(rows: list[Row]) -> None:
    widths = [12] + [10] * (len(HEADER) - 1)
    print(" | ".join(f"{h:>{w}}" for h, w in zip(HEADER, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in rows:
        cells = (
            f"{v:>{w}.1f}" if isinstance(v, float) else f"{v:>{w}}"
            for v, w in zip(row.cells(), widths, strict=True)
        )
        print(" | ".join(cells))
    small, large = rows[-2].cells(), rows[-1].cells()
    p50, p99 = HEADER.index("p50 ms"), HEADER.index("p99 ms")
    print(
        f"\nB / A breakouts: p50 {large[p50] / small[p50]:.2f}, p99 {large[p99] / small[p99]:.2f}"
    )
    for row in rows:
        acks = sorted(row.recorder.acks) or [float("nan")]
        print(
            f"{row.scenario}: acks p50 {1000 * statistics.median(acks):.1f} ms, "
            f"p99 {1000 * acks[int(0.99 * (len(acks) - 1))]:.1f} ms; "
            f"server at rest {100 * row.server_at_rest:.1f} % of a core"
        )
        if row.recorder.refusals:
            print(f"{row.scenario} refused: {dict(row.recorder.refusals)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="timed, per scenario")
    parser.add_argument(
        "--group-period", type=float, default=2.0, help="seconds between one group's moves"
    )
    parser.add_argument("--small", type=int, default=10, help="participants in A")
    parser.add_argument("--organisations-small", type=int, default=4)
    parser.add_argument("--large", type=int, default=60, help="participants in B")
    parser.add_argument("--organisations", type=int, default=12, help="in B")
    parser.add_argument("--database-url", help="default: a throw-away SQLite database")
    parser.add_argument(
        "--priority",
        type=int,
        metavar="NICE",
        help="run the server and the clients at this nice value (below 0 needs root): "
        "on a machine shared with other work, closer to a server on its own",
    )
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        server = ServerProcess(
            args.database_url or f"sqlite:///{scratch}/bench.db", **ONE_ADDRESS_FOR_ALL
        )
        server.release()
        server.start()
        try:
            assert server.process is not None
            print(f"server pid {server.process.pid} at {server.url}", flush=True)
            if args.priority is not None:
                os.setpriority(os.PRIO_PROCESS, server.process.pid, args.priority)
                os.setpriority(os.PRIO_PROCESS, 0, args.priority)
            rows = asyncio.run(measure(server.url, server.process.pid, args))
        finally:
            server.stop()
    print_table(rows)
    # Other work on the machine shows in the latencies, not in the server's CPU per change.
    print(f"load average (1 min) before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
