"""Load benchmark: Holdsport beside the bare stack it stands on, under the same load.

Real Socket.IO clients (websocket, permessage-deflate offered as browsers offer it) follow
docs/protocol.md: S sessions of P people each (one facilitator and P - 1 participants)
join, then every session sends R commands a second that every screen of the session must
see. The same load runs against:

- `bare`: bench/bare_server.py, Flask-SocketIO on eventlet with no database (a room
  broadcast per change);
- `board`: Holdsport, the facilitator adds a board cluster (`board:add_cluster`);
- `hand`: Holdsport, a participant raises or lowers a hand (`hand:raise`/`hand:lower`);
- `react`: Holdsport, the participants in turn react to a revealed post and take it back
  (`board:react`, `board:reacted` to every screen);
- `next`: Holdsport, the facilitator moves the agenda on and back (`agenda:next`,
  `agenda:previous`, the whole agenda to every screen), each once the last move was seen;
- `post`: Holdsport, the participants in turn write an anonymous post and delete it
  (`board:post`, `board:delete`). A post reaches no other screen at once (only the
  board's count, on its 10-second clock, docs/protocol.md section 7), so what is timed is
  its ack, one delivery per command.

The clients are socket.io-client on Node (`--generator node`, the default: one or more
`--workers` running bench/load-worker.mjs, its packages installed from bench/package.json
on first use) or python-socketio in this process (`--generator python`: here up to twice
the CPU per delivery; bare, board and hand only). Either way this process makes the
sessions over HTTP and reads the CPU and memory; a participant's credential (POST
/api/join, with a member key as a browser sends) is fetched by its client, inside the
join it times. A room's sender and all
its screens live in one process, so each change is timed from send to arrival on one
monotonic clock (performance.now() in Node, perf_counter here).

The server runs on CPU 0 and the load on the last CPU (where the machine has two). Per target it
prints: the time until all are joined, join p50/p99 (credential, connect, snapshot),
change -> every screen p50/p99, the deliveries sent a second (under the rate asked: acks
came late) and the share delivered within 5 s at each rate, the server's CPU while
sending (and the load generator's, all its processes: near 100 % it, not the server, is
the limit), and the server's memory per participant, and its capacity: the highest rate
of the ramp (`--rates`) at which every delivery was made, p99 under 500 ms, and at least
90 % of the rate asked was sent (a sender waits for its ack, then catches up: late acks
stretch the sending). The ramp stops at the first rate not carried.

`--servers N` (N >= 2) measures scale-out: each target runs on one process, then on N
processes sharing a PostgreSQL database (`--database-url`, required) and Redis
(`--redis-url`, the message queue), and the table sets them side by side with the ratio
of their capacities (as fine as the ramp's steps). Every session's people are dealt over
the processes in turn, as a load balancer would, so every change crosses Redis. CPU is
given per process. The load keeps the last core; the processes share the others, so on a
machine with fewer cores than processes + 1 the ratio is bounded by the machine, and the
run says so. A PostgreSQL `--database-url` names the server and user: each run makes a
database of its own there (bench_multi_<random>, dropped afterwards), and each scale-out
run a Redis channel (key prefix) of its own, so runs never see each other.

    .venv/bin/python bench/load.py                                  # 200 x 10, 1 command/s
    .venv/bin/python bench/load.py --rates 1 2 4 --seconds 20       # 2,000 to 8,000 deliveries/s
    .venv/bin/python bench/load.py --sessions 20 --targets bare hand --no-deflate
    .venv/bin/python bench/load.py --people 60 --sessions 1         # one session of 60
    .venv/bin/python bench/load.py --targets hand --profile /tmp/p  # where the server's time goes
    .venv/bin/python bench/load.py --generator python               # python-socketio clients
    .venv/bin/python bench/load.py --servers 2 --targets hand --rates 2 4 6 8 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres  # 1 vs 2 processes
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from asyncio.subprocess import PIPE
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from math import inf
from pathlib import Path
from typing import Any

import aiohttp
import redis
import requests
import socketio
from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live_client import create_session, facilitator  # noqa: E402
from tests.support import ONE_ADDRESS_FOR_ALL, ServerProcess, free_port  # noqa: E402

NAMESPACE = "/session"
WORKER = ROOT / "bench" / "load-worker.mjs"
DELIVERY_DEADLINE = 5.0
JOINS_AT_ONCE = 50
# Capacity: a rate is carried when every delivery is made, p99 is under this, and at
# least SENT_SHARE of the rate asked was sent: a sender waits for its ack, then catches up
# on the turns it missed, so late acks stretch the sending of the same commands.
CAPACITY_P99 = 0.5
JOIN_PROFILE_SECONDS = 120  # the longest joining sampled; stopped when all have joined
SENT_SHARE = 0.9
# The event each target's command must bring to every screen of its session.
WATCHED = {
    "bare": "changed",
    "board": "board:cluster_added",
    "hand": "hands:updated",
    "react": "board:reacted",
    "next": "agenda:updated",
    "post": None,  # its ack is timed
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def make_sessions(target: str, url: str, count: int) -> list[tuple[Any, dict[str, Any]]]:
    """Each session's key (its room) and what its host was given (join code, token)."""
    if target == "bare":
        return [(number, {}) for number in range(count)]
    account = facilitator(url, language="en")
    made = []
    for number in range(count):
        host = create_session(url, account, title=f"Bench {number}", language="en")
        made.append((host["join_code"], host))
    return made


class Screen:
    """One client: notes when each watched event arrives, by the event's own number."""

    def __init__(self, http: aiohttp.ClientSession, watched: str, deflate: bool) -> None:
        options = {"compress": 15} if deflate else {}
        self.sio = socketio.AsyncClient(
            reconnection=False, http_session=http, websocket_extra_options=options
        )
        self.arrivals: dict[Any, float] = {}
        self.snapshot = asyncio.Event()
        self.on_arrival: Callable[[Any], None] | None = None
        self.sio.on(watched, self._arrived, namespace=NAMESPACE)
        self.sio.on("session:snapshot", self._snapshot, namespace=NAMESPACE)

    async def _arrived(self, payload: dict[str, Any]) -> None:
        key = payload.get("version", payload.get("seq"))
        self.arrivals[key] = time.perf_counter()
        if self.on_arrival:
            self.on_arrival(key)

    async def _snapshot(self, _payload: dict[str, Any]) -> None:
        self.snapshot.set()

    async def connect(self, url: str, auth: dict[str, Any] | None = None) -> None:
        await self.sio.connect(
            url, namespaces=[NAMESPACE], auth=auth, transports=["websocket"], wait_timeout=60
        )

    async def call(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        return dict(await self.sio.call(event, payload, namespace=NAMESPACE, timeout=60))


@dataclass
class Room:
    """One session as the load sees it: its screens, and the commands its sender sent."""

    key: Any
    screens: list[Screen] = field(default_factory=list)
    last: Screen | None = None  # the last participant by number: the sender of hands
    sent: dict[Any, float] = field(default_factory=dict)  # event number -> time sent
    pending: deque[float] = field(default_factory=deque)  # sent, event not yet seen
    steps: int = 0  # commands sent so far (a hand goes up, then down)

    def claim(self, key: Any) -> None:
        """The sender saw its command's event: that number belongs to the oldest send."""
        if self.pending and key not in self.sent:
            self.sent[key] = self.pending.popleft()


class Load:
    """Joins every room, then sends at a rate, for one target."""

    def __init__(self, target: str, urls: list[str], args: argparse.Namespace) -> None:
        self.target, self.urls, self.args = target, urls, args
        self.rooms: list[Room] = []
        self.join_seconds: list[float] = []
        self.commands = 0
        self.http: aiohttp.ClientSession | None = None

    async def join_all(self, setups: list[tuple[Any, dict[str, Any]]]) -> float:
        """Everyone joins the sessions `setups` made, JOINS_AT_ONCE at a time; the seconds
        until all are in."""
        # One HTTP session for every client, with no cap on its connections.
        self.http = http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        self.rooms = [Room(key) for key, _ in setups]
        gate = asyncio.Semaphore(JOINS_AT_ONCE)

        async def one(
            room: Room,
            url: str,
            credential: Callable[[], Awaitable[dict[str, Any]]],
            last: bool = False,
        ) -> None:
            async with gate:
                began = time.perf_counter()
                screen = Screen(http, WATCHED[self.target], not self.args.no_deflate)
                given = await credential()
                await self._join(screen, url, room, given)
                self.join_seconds.append(time.perf_counter() - began)
                # The facilitator first: screens[0].
                room.screens.insert(0, screen) if given["host"] else room.screens.append(screen)
                if last:
                    room.last = screen

        tasks = []
        # Dealt over the processes in turn from the room's number on, as the Node worker.
        urls = self.urls
        for number, (room, (_key, host)) in enumerate(zip(self.rooms, setups, strict=True)):
            tasks.append(one(room, urls[number % len(urls)], self._host_credential(host)))
            for index in range(self.args.people - 1):
                url = urls[(number + index + 1) % len(urls)]
                credential = self._guest_credential(http, url, host, index)
                tasks.append(one(room, url, credential, index == self.args.people - 2))
        started = time.perf_counter()
        await asyncio.gather(*tasks)
        joined_in = time.perf_counter() - started
        for room in self.rooms:
            await self._prepare(room)
        return joined_in

    def _host_credential(self, host: dict[str, Any]) -> Callable[[], Awaitable[dict[str, Any]]]:
        async def credential() -> dict[str, Any]:
            return {"token": host.get("facilitator_token"), "host": True}

        return credential

    def _guest_credential(
        self, http: aiohttp.ClientSession, url: str, host: dict[str, Any], index: int
    ) -> Callable[[], Awaitable[dict[str, Any]]]:
        async def credential() -> dict[str, Any]:
            if self.target == "bare":
                return {"token": None, "host": False}
            body = {
                "join_code": host["join_code"],
                "display_name": f"P{index}",
                "language": "en",
                "member_key": secrets.token_urlsafe(32),  # a browser's, as the Node clients send
            }
            async with http.post(f"{url}/api/join", json=body) as reply:
                joined = await reply.json()
            return {"token": joined["token"], "host": False}

        return credential

    async def _join(self, screen: Screen, url: str, room: Room, credential: dict[str, Any]) -> None:
        if self.target == "bare":
            await screen.connect(url)
            reply = await screen.call("join", {"room": room.key})
            assert reply["ok"], reply
            return
        await screen.connect(url, {"token": credential["token"], "language": "en"})
        await asyncio.wait_for(screen.snapshot.wait(), 60)

    async def _prepare(self, room: Room) -> None:
        """Whatever the command needs: a running agenda for hands, an open board."""
        if self.target == "bare":
            return
        host = room.screens[0]
        assert (await host.call("session:start", {}))["ok"]
        if self.target == "board":
            assert (await host.call("board:open", {"prompts": ["Bench"]}))["ok"]

    def _sender(self, room: Room) -> Screen:
        # The facilitator adds clusters; the last participant by number (dealt over the
        # processes like everyone, whenever it joined) raises hands, or sends in the bare room.
        return room.screens[0] if self.target == "board" else room.last or room.screens[0]

    async def send(self, rate: float, seconds: float) -> None:
        for room in self.rooms:
            room.sent.clear()
            room.pending.clear()
            for screen in room.screens:
                screen.arrivals.clear()
            sender = self._sender(room)
            sender.on_arrival = room.claim
        period = 1.0 / rate
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds

        async def run(room: Room) -> None:
            sender = self._sender(room)
            await asyncio.sleep(random.uniform(0, period))
            next_at = loop.time()
            while next_at < end:
                payload, name = self._command(room, room.steps)
                sent = time.perf_counter()
                if self.target == "bare":
                    room.sent[room.steps] = sent
                else:
                    room.pending.append(sent)
                reply = await sender.call(name, payload)
                if not reply.get("ok"):
                    raise RuntimeError(f"{name}: {reply}")
                self.commands += 1
                room.steps += 1
                next_at += period
                await asyncio.sleep(max(0.0, next_at - loop.time()))

        await asyncio.gather(*(run(room) for room in self.rooms))
        await asyncio.sleep(DELIVERY_DEADLINE)

    def _command(self, room: Room, step: int) -> tuple[dict[str, Any], str]:
        if self.target == "bare":
            return {"room": room.key, "seq": step}, "change"
        if self.target == "board":
            return {"name": f"Cluster {step}"}, "board:add_cluster"
        return {}, "hand:raise" if step % 2 == 0 else "hand:lower"

    def deliveries(self) -> tuple[list[float], int, int]:
        """Latencies of deliveries made within the deadline; those made; those due."""
        latencies: list[float] = []
        due = 0
        for room in self.rooms:
            due += len(room.sent) * len(room.screens)
            for screen in room.screens:
                for key, sent in room.sent.items():
                    arrived = screen.arrivals.get(key)
                    if arrived is not None and arrived - sent <= DELIVERY_DEADLINE:
                        latencies.append(arrived - sent)
        return latencies, len(latencies), due

    def cpu_seconds(self) -> float:
        return time.process_time()

    async def leave(self) -> None:
        for room in self.rooms:
            for screen in room.screens:
                await screen.sio.disconnect()
        if self.http:
            await self.http.close()


class NodeLoad:
    """The same load from Node processes (bench/load-worker.mjs, socket.io-client): they
    join, send and time; this side makes the sessions and gathers their answers. A room
    lives in one worker, so its sends and arrivals are timed on one clock."""

    def __init__(self, target: str, urls: list[str], args: argparse.Namespace) -> None:
        self.target, self.urls, self.args = target, urls, args
        self.workers: list[asyncio.subprocess.Process] = []
        self.join_seconds: list[float] = []
        self.extensions = ""  # what the server agreed to: "permessage-deflate" when deflating
        self.sent: list[dict[str, Any]] = []  # each worker's answer to the last send

    async def join_all(self, setups: list[tuple[Any, dict[str, Any]]]) -> float:
        rooms = [
            {
                "key": key,
                "number": number,
                "join_code": host.get("join_code"),
                "host_token": host.get("facilitator_token"),
            }
            for number, (key, host) in enumerate(setups)
        ]
        count = max(1, min(self.args.workers, len(rooms)))
        for _ in range(count):
            # Started after pin(): a worker inherits the load's CPU.
            worker = await asyncio.create_subprocess_exec(
                "node", str(WORKER), stdin=PIPE, stdout=PIPE, limit=2**28
            )
            self.workers.append(worker)
            await self._answer(worker)  # loaded: its start is not in the joining time
        started = time.perf_counter()
        answers = await self._ask(
            lambda index: {
                "do": "join",
                "rooms": rooms[index::count],
                "urls": self.urls,
                "target": self.target,
                "watched": WATCHED[self.target],
                "people": self.args.people,
                "deflate": not self.args.no_deflate,
                "joins_at_once": -(-JOINS_AT_ONCE // count),
                "deadline": DELIVERY_DEADLINE,
            }
        )
        joined_in = time.perf_counter() - started
        self.join_seconds = [seconds for answer in answers for seconds in answer["join_seconds"]]
        self.extensions = answers[0]["extensions"]
        await self._ask(lambda _: {"do": "prepare"})
        return joined_in

    async def send(self, rate: float, seconds: float) -> None:
        self.sent = await self._ask(lambda _: {"do": "send", "rate": rate, "seconds": seconds})

    def deliveries(self) -> tuple[list[float], int, int]:
        latencies = [latency for answer in self.sent for latency in answer["latencies"]]
        return latencies, len(latencies), sum(answer["due"] for answer in self.sent)

    def cpu_seconds(self) -> float:
        return time.process_time() + sum(cpu_seconds(worker.pid) for worker in self.workers)

    async def leave(self) -> None:
        await self._ask(lambda _: {"do": "leave"})
        for worker in self.workers:
            assert worker.stdin
            worker.stdin.close()  # a worker ends with its input
            await worker.wait()

    async def _ask(self, order: Callable[[int], dict[str, Any]]) -> list[dict[str, Any]]:
        """Every worker at once; their answers in order."""
        for index, worker in enumerate(self.workers):
            assert worker.stdin
            worker.stdin.write(json.dumps(order(index)).encode() + b"\n")
        return list(await asyncio.gather(*(self._answer(worker) for worker in self.workers)))

    async def _answer(self, worker: asyncio.subprocess.Process) -> dict[str, Any]:
        assert worker.stdout
        line = await worker.stdout.readline()
        if not line:
            raise RuntimeError(f"a Node worker ended ({await worker.wait()})")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"a Node worker: {answer['error']}")
        return answer


def node_packages() -> None:
    """socket.io-client for the Node workers, again whenever bench/package-lock.json changes
    (as scripts/setup does for client/)."""
    lock = (ROOT / "bench" / "package-lock.json").read_bytes()
    stamp = ROOT / "bench" / "node_modules" / f".installed-{hashlib.sha256(lock).hexdigest()[:16]}"
    if not stamp.exists():
        npm = ["npm", "ci", "--prefix", str(ROOT / "bench"), "--no-audit", "--no-fund"]
        subprocess.run([*npm, "--loglevel=error"], check=True)
        stamp.touch()


@contextmanager
def fresh_database(url: str, prefix: str = "bench_multi") -> Iterator[str]:
    """A PostgreSQL database of this run's own, on the server and as the user `url` names,
    dropped at the end: runs never see each other's rows, and the database `url` names
    (CI's `test`, say) is never touched. Any other URL (SQLite) is used as given."""
    given = make_url(url)
    if not given.drivername.startswith("postgresql"):
        yield url
        return
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(given.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield given.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def fresh_channel(url: str) -> Iterator[str]:
    """A Redis channel of this run's own (also the prefix of the servers' keys: rate
    limits, command budgets), its keys deleted at the end."""
    channel = f"holdsport-bench-{secrets.token_hex(4)}"
    try:
        yield channel
    finally:
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(f"{channel}:*"))
        if keys:
            client.delete(*keys)
        client.close()


@dataclass
class Run:
    """The server processes of one measurement, and what they stand on."""

    urls: list[str]
    pids: list[int]
    database_url: str | None = None  # PostgreSQL's: its backends' CPU is measured
    redis_url: str | None = None


def start_bare(port: int, queue: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(ROOT / "bench" / "bare_server.py"), "--port", str(port)]
    if queue:
        command += ["--message-queue", queue["REDIS_URL"]]
        command += ["--channel", queue["HOLDSPORT_REDIS_CHANNEL"]]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/api/health", timeout=1).ok:
                return process
        except requests.ConnectionError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("the bare server did not come up")


def start_servers(
    target: str, count: int, args: argparse.Namespace, scratch: str, stack: ExitStack
) -> Run:
    """`count` server processes, stopped (and their database dropped) when `stack` closes;
    more than one share a Redis channel of their own."""
    queue: dict[str, str] = {}
    if count > 1:
        channel = stack.enter_context(fresh_channel(args.redis_url))
        queue = {"REDIS_URL": args.redis_url, "HOLDSPORT_REDIS_CHANNEL": channel}
    if target == "bare":
        run = Run([], [], redis_url=queue.get("REDIS_URL"))
        for _ in range(count):
            port = free_port()
            process = start_bare(port, queue)
            stack.callback(process.wait)  # last in, first out: terminated, then waited for
            stack.callback(process.terminate)
            run.urls.append(f"http://127.0.0.1:{port}")
            run.pids.append(process.pid)
        return run
    database = args.database_url or f"sqlite:///{scratch}/bench.db"
    database = stack.enter_context(fresh_database(database))
    servers = [ServerProcess(database, **ONE_ADDRESS_FOR_ALL, **queue) for _ in range(count)]
    servers[0].release()  # migrations once, as in a deployment
    for server in servers:
        server.start()
        stack.callback(server.stop)
    pids = [server.process.pid for server in servers if server.process]
    postgres = database if database.startswith("postgresql") else None
    return Run([s.url for s in servers], pids, postgres, queue.get("REDIS_URL"))


def profile(pid: int, path: str, seconds: float) -> subprocess.Popen[bytes]:
    """py-spy samples the server while it sends: collapsed stacks, one line per stack."""
    spy = Path(sys.executable).with_name("py-spy")
    command = [str(spy), "record", "--pid", str(pid), "--format", "raw", "--nonblocking"]
    return subprocess.Popen(
        [*command, "--duration", str(int(seconds)), "--output", f"{path}.txt"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def pin(*pids: int) -> None:
    """The load on the last CPU, the servers dealt over the others (on two CPUs: servers
    on CPU 0, load on CPU 1): each side has its own core, as in the issue. Every thread
    of a server, not only its first."""
    cores = os.cpu_count() or 1
    if not hasattr(os, "sched_setaffinity") or cores < 2:
        return
    for index, pid in enumerate(pids):
        for thread in os.listdir(f"/proc/{pid}/task"):
            os.sched_setaffinity(int(thread), {index % (cores - 1)})
    os.sched_setaffinity(0, {cores - 1})


def machine_bound(servers: int) -> str | None:
    """Why a ratio measured here says little about the server, when it does."""
    cores = os.cpu_count() or 1
    if servers < 2 or cores >= servers + 1:
        return None
    return (
        f"NOTE: this machine has {cores} cores for {servers} server processes and the load "
        f"generator: the processes share {max(1, cores - 1)} core(s) (and PostgreSQL and "
        "Redis run on any), so the ratio measured here is bounded by the machine, not the server."
    )


def postgres_cpu(database_url: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving this database (asked from another,
    so the asking is not among them)."""
    url = make_url(database_url)
    admin = create_engine(url.set(database="postgres"))
    with admin.connect() as connection:
        query = text("SELECT pid FROM pg_stat_activity WHERE datname = :name")
        pids = list(connection.scalars(query, {"name": url.database}))
    admin.dispose()
    found = {}
    for pid in pids:
        with suppress(OSError):  # ended meanwhile
            found[pid] = cpu_seconds(pid)
    return found


def redis_cpu(url: str) -> float:
    """The whole Redis server's CPU seconds (it may serve others too)."""
    client = redis.Redis.from_url(url)
    info = client.info("cpu")
    client.close()
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


@dataclass
class Capacity:
    """Where the ramp puts a capacity: carried at `low` commands/s per session (0: none),
    not at `high` (inf: the ramp's top was carried)."""

    low: float
    high: float

    @staticmethod
    def of(carried: dict[float, bool]) -> Capacity:
        low = max((rate for rate, ok in carried.items() if ok), default=0.0)
        high = min((rate for rate, ok in carried.items() if not ok and rate > low), default=inf)
        return Capacity(low, high)

    def text(self, people: int) -> str:
        if self.low == 0:
            return f"< {self.high * people:,.0f}/s"
        if self.high == inf:
            return f">= {self.low * people:,.0f}/s"
        return f"{self.low * people:,.0f}/s (not {self.high * people:,.0f})"

    def ratio(self, one: Capacity) -> str:
        """This capacity over one process's, and the range the ramp's steps leave."""
        if one.low == 0 or one.high == inf:
            return "none: widen the ramp"
        least, most = self.low / one.high, self.high / one.low
        if self.low == 0:
            return f"< {most:.2f} x"
        upper = "inf" if most == inf else f"{most:.2f}"
        return f"{self.low / one.low:.2f} x ({least:.2f}-{upper})"


async def measure(target: str, run: Run, args: argparse.Namespace) -> dict[str, Any]:
    load = (NodeLoad if args.generator == "node" else Load)(target, run.urls, args)
    before = sum(rss_kib(pid) for pid in run.pids)
    setups = await asyncio.to_thread(make_sessions, target, run.urls[0], args.sessions)
    joining_cpu = sum(cpu_seconds(pid) for pid in run.pids)
    profilers = [
        profile(pid, f"{args.profile}-{target}-join-{index}", JOIN_PROFILE_SECONDS)
        for index, pid in enumerate(run.pids if args.profile else [])
    ]
    joined_in = await load.join_all(setups)
    for profiler in profilers:  # stopped early: py-spy writes what it has on SIGINT
        profiler.send_signal(signal.SIGINT)
        profiler.wait()
    people = args.sessions * args.people
    result: dict[str, Any] = {
        "joined": f"{joined_in:.1f} s",
        "join": f"{1000 * percentile(load.join_seconds, 0.5):.0f} / "
        f"{1000 * percentile(load.join_seconds, 0.99):.0f}",
        "memory": f"{(sum(rss_kib(pid) for pid in run.pids) - before) / people:.0f}",
        "join_cpu": f"{1000 * (sum(cpu_seconds(p) for p in run.pids) - joining_cpu) / people:.1f}",
    }
    carried: dict[float, bool] = {}
    for rate in args.rates:
        cpu_before, wall_before = [cpu_seconds(pid) for pid in run.pids], time.perf_counter()
        own_before = load.cpu_seconds()  # the load generator's own CPU: is it the limit?
        postgres_before = postgres_cpu(run.database_url) if run.database_url else {}
        redis_before = redis_cpu(run.redis_url) if run.redis_url else 0.0
        profilers = []
        for index, pid in enumerate(run.pids if args.profile else []):
            process = f"-{index}" if len(run.pids) > 1 else ""
            profilers.append(profile(pid, f"{args.profile}-{target}-{rate}{process}", args.seconds))
        await load.send(rate, args.seconds)
        for profiler in profilers:
            profiler.wait()
        sending = time.perf_counter() - wall_before - DELIVERY_DEADLINE
        pids = zip(run.pids, cpu_before, strict=True)
        busy = [(cpu_seconds(pid) - began) / sending for pid, began in pids]
        generator = (load.cpu_seconds() - own_before) / sending
        latencies, made, due = load.deliveries()
        p99 = percentile(latencies, 0.99)
        result[f"latency@{rate}"] = f"{1000 * percentile(latencies, 0.5):.1f} / {1000 * p99:.0f}"
        result[f"made@{rate}"] = f"{100 * made / max(1, due):.1f} %"
        # Below the rate asked: the sender's acks came late (a busy server or generator).
        # A sender catches up on what its late acks held back: sending takes longer.
        result[f"sent@{rate}"] = f"{due / sending:,.0f}"
        result[f"cpu@{rate}"] = " + ".join(f"{100 * b:.0f}" for b in busy) + " %"
        result[f"load@{rate}"] = f"{100 * generator:.0f} %"
        if run.database_url:
            after = postgres_cpu(run.database_url)
            spent = sum(cpu - postgres_before.get(pid, 0.0) for pid, cpu in after.items())
            result[f"postgres@{rate}"] = f"{100 * spent / sending:.0f} %"
        if run.redis_url:
            result[f"redis@{rate}"] = (
                f"{100 * (redis_cpu(run.redis_url) - redis_before) / sending:.0f} %"
            )
        # On time, a sender's last command is followed by a sleep to its next turn: the
        # sending takes a period more than asked (so "sent" reads low for few commands).
        sent_share = (args.seconds + 1 / rate) / sending
        carried[rate] = 0 < made == due and p99 < CAPACITY_P99 and sent_share >= SENT_SHARE
        if not carried[rate]:
            break  # beyond capacity: higher rates would only queue, for ever longer
    result["capacity"] = Capacity.of(carried)
    await load.leave()
    if isinstance(load, NodeLoad):
        print(
            f"{target}: WebSocket extensions agreed: {load.extensions or 'none'}", file=sys.stderr
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--people", type=int, default=10)
    parser.add_argument("--rates", type=float, nargs="+", default=[1.0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--targets", nargs="+", choices=list(WATCHED), default=["bare", "board", "hand"]
    )
    parser.add_argument("--no-deflate", action="store_true")
    parser.add_argument(
        "--generator", choices=["node", "python"], default="node", help="the clients' stack"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="Node processes, all on the load's core (one sent 8,000/s here)",
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--servers", type=int, default=1, help="N >= 2: 1 process against N, side by side"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--profile", metavar="PREFIX", help="py-spy the server while sending (PREFIX-*.txt)"
    )
    args = parser.parse_args()
    if args.generator == "python" and set(args.targets) - {"bare", "board", "hand"}:
        parser.error("--generator python sends for bare, board and hand only")
    if args.people < 4 and "react" in args.targets:
        parser.error("react needs --people 4 or more: three write, the facilitator reveals")
    if args.servers > 1 and not (args.database_url or "").startswith("postgresql"):
        parser.error("--servers N >= 2 needs a PostgreSQL --database-url")
    if args.generator == "node":
        node_packages()
    bound = machine_bound(args.servers)
    if bound:
        print(bound, file=sys.stderr)

    counts = [1, args.servers] if args.servers > 1 else [1]
    columns: dict[str, dict[str, Any]] = {}
    for target in args.targets:
        for count in counts:
            key = target if args.servers == 1 else f"{target} x{count}"
            with tempfile.TemporaryDirectory() as scratch, ExitStack() as stack:
                run = start_servers(target, count, args, scratch, stack)
                pin(*run.pids)
                columns[key] = asyncio.run(measure(target, run, args))
            print(f"{key}: done", file=sys.stderr, flush=True)
    print_table(columns, args)
    if bound:
        print(f"\n{bound}")


def print_table(columns: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    deliveries = args.sessions * args.people
    for key, column in columns.items():
        one = columns.get(key.replace(f" x{args.servers}", " x1"))
        if key.endswith(f" x{args.servers}") and one:
            column["ratio"] = column["capacity"].ratio(one["capacity"])
    for column in columns.values():
        column["capacity"] = column["capacity"].text(deliveries)
    rows = [
        ("joined", f"all {deliveries} connected and joined"),
        ("join", "join p50 / p99 ms"),
        ("join_cpu", "server CPU per person joining, ms"),
    ]
    for rate in args.rates:
        per_second = int(rate * deliveries)
        rows += [
            (f"latency@{rate}", f"change -> every screen p50 / p99 ms, {per_second}/s"),
            (f"sent@{rate}", f"deliveries sent a second, {per_second}/s asked"),
            (f"made@{rate}", f"delivered within {DELIVERY_DEADLINE:.0f} s, {per_second}/s"),
            (f"cpu@{rate}", f"server CPU while sending (per process), {per_second}/s"),
            (f"postgres@{rate}", f"PostgreSQL CPU (this run's backends), {per_second}/s"),
            (f"redis@{rate}", f"Redis CPU (all of the server), {per_second}/s"),
            (f"load@{rate}", f"load generator CPU (its one core), {per_second}/s"),
        ]
    rows += [
        ("memory", "memory per participant, KiB"),
        (
            "capacity",
            f"capacity: deliveries/s all made, p99 < {1000 * CAPACITY_P99:.0f} ms, "
            f">= {100 * SENT_SHARE:.0f} % sent",
        ),
        ("ratio", f"capacity, {args.servers} processes / 1 (range the ramp leaves)"),
    ]
    rows = [(key, label) for key, label in rows if any(key in c for c in columns.values())]
    names = {
        "bare": "bare Flask-SocketIO",
        "board": "Holdsport: cluster",
        "hand": "Holdsport: hand",
        "react": "Holdsport: reaction",
        "next": "Holdsport: agenda",
        "post": "Holdsport: post, ack",
    }
    header = [""]
    for key in columns:
        target, _, count = key.partition(" x")
        processes = f", {count} process{'es' if count != '1' else ''}" if count else ""
        header.append(names[target] + processes)
    width = max(len(label) for _, label in rows)
    cell = max(
        20,
        *(len(h) for h in header[1:]),
        *(len(str(v)) for c in columns.values() for v in c.values()),
    )
    print(
        f"\n{args.sessions} sessions of {args.people}, websocket"
        f"{'' if args.no_deflate else ' + permessage-deflate'}, {args.seconds:.0f} s per rate"
    )
    if args.servers > 1:
        print(
            f"1 process (Holdsport on PostgreSQL) against {args.servers} (on PostgreSQL + Redis; "
            "bare: Redis), each session's people dealt over them"
        )
    print("| " + " | ".join([header[0].ljust(width), *(h.rjust(cell) for h in header[1:])]) + " |")
    print("|" + "|".join(["-" * (width + 2), *("-" * (cell + 2) for _ in columns)]) + "|")
    for key, label in rows:
        cells = [str(columns[t].get(key, "")).rjust(cell) for t in columns]
        print("| " + " | ".join([label.ljust(width), *cells]) + " |")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
