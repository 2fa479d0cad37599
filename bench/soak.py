"""Soak benchmark: the target load for many minutes, watching for what should not grow.

The load of bench/load.py (S sessions of P people, every session sending R commands a
second that every screen must see; real Socket.IO clients, websocket with
permessage-deflate: socket.io-client on Node, bench/load-worker.mjs, by default, or
python-socketio with `--generator python`) runs for `--minutes` against one server
process, while a few more clients connect and disconnect again and again (`--churn` a
second, python-socketio), as people on phones do. Every `--sample` seconds it notes the
server's memory (RSS), its open connections (`/metrics`), the rows of tables that should
stay flat (connections, board rate windows, workers, ...), and the longest stall of the
server's event loop since the sample before (HOLDSPORT_LOOP_WATCH: a 20 ms ticker inside the server,
server/core/loopwatch.py), also less the time the server waited for a core (a machine
shared with other work delays it without the loop being held), and the server's garbage
collections (server/core/heap.py: per generation the count, the longest pause and the
most CPU one used, the objects found unreachable). It prints each sample, then a table:
start (after a warm-up) against end, the longest stall and the stalls over 100 ms, the
collections while sending (how many took over 50 and 100 ms), the full collections the
server ran and why, and what a quiet one finds once sending has stopped (the cyclic
garbage that aged into the old generation over the run), and the deliveries. A
PostgreSQL `--database-url` names the server and user: the soak makes a database of its
own there (bench_soak_<random>), dropped after.

    .venv/bin/python bench/soak.py                         # 200 x 10, 1 command/s, 10 minutes
    .venv/bin/python bench/soak.py --minutes 3 --sample 10
    .venv/bin/python bench/soak.py --target board --database-url postgresql+psycopg://...
    .venv/bin/python bench/soak.py --generator python    # python-socketio clients
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import sys
import tempfile
import time
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import requests
import socketio
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from load import (  # noqa: E402
    Load,
    NodeLoad,
    fresh_database,
    make_sessions,
    node_packages,
    percentile,
    pin,
    rss_kib,
)

from tests.live_client import create_session, join  # noqa: E402
from tests.support import ONE_ADDRESS_FOR_ALL, ServerProcess  # noqa: E402

NAMESPACE = "/session"
STALL_SECONDS = 0.1
GC_SLOW_SECONDS = 0.05
GENERATIONS = ("0", "1", "2")
QUIET_WAIT_SECONDS = 15  # three of core.heap's beats
# Rows that a steady session keeps flat: live connections and their addresses, the
# board's rate windows (expired ones are swept), the processes' heartbeats, hands.
FLAT_TABLES = ("connections", "connection_addresses", "board_rate_windows", "workers", "hands")


@dataclass
class Collections:
    """One generation's garbage collections since the server started (heap.py's metrics)."""

    count: int
    slow: int  # over GC_SLOW_SECONDS
    stalling: int  # over STALL_SECONDS
    longest: float
    longest_cpu: float  # the CPU the collection used: the pause less waiting for a core
    collected: int  # objects found unreachable: cyclic garbage


@dataclass
class Sample:
    at: float  # seconds since sending began
    rss_kib: int
    connections: int
    rows: dict[str, int]
    longest_stall: float  # since the sample before
    stalls: int  # over STALL_SECONDS, since the server started
    longest_held: float  # the same, less the time the server waited for a core
    held: int
    gc: dict[str, Collections]
    full: dict[str, int]  # full collections core.heap ran, by reason


class Server:
    """The production server with its loop watch and metrics on, and what it reports."""

    def __init__(self, database_url: str) -> None:
        self.token = secrets.token_urlsafe(24)
        env = {"HOLDSPORT_LOOP_WATCH": "true", "HOLDSPORT_METRICS_TOKEN": self.token}
        self.process = ServerProcess(database_url, **ONE_ADDRESS_FOR_ALL, **env)
        self.database_url = database_url
        self.engine = create_engine(database_url)

    def start(self) -> Server:
        self.process.release()
        self.process.start()
        assert self.process.process is not None
        self.pid = self.process.process.pid
        return self

    def metrics(self) -> dict[str, float]:
        reply = requests.get(
            f"{self.process.url}/metrics",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
        )
        reply.raise_for_status()
        found = {}
        for line in reply.text.splitlines():
            match = re.match(r"^(holdsport_[a-z_]+(?:\{[^}]*\})?) ([0-9.e+-]+)$", line)
            if match:
                found[match[1]] = float(match[2])
        return found

    def sample(self, at: float) -> Sample:
        metrics = self.metrics()

        def over(histogram: str, seconds: float = STALL_SECONDS, labels: str = "") -> int:
            within = f"{labels}," if labels else ""
            short = metrics.get(f'{histogram}_bucket{{{within}le="{seconds}"}}', 0.0)
            every = metrics.get(f"{histogram}_count{{{labels}}}".replace("{}", ""), 0.0)
            return int(every - short)

        def collections(generation: str) -> Collections:
            labels = f'generation="{generation}"'
            pauses = "holdsport_gc_pause_seconds"
            return Collections(
                count=int(metrics.get(f"{pauses}_count{{{labels}}}", 0)),
                slow=over(pauses, GC_SLOW_SECONDS, labels),
                stalling=over(pauses, STALL_SECONDS, labels),
                longest=metrics.get(f"holdsport_gc_pause_max_seconds{{{labels}}}", 0.0),
                longest_cpu=metrics.get(f"holdsport_gc_cpu_max_seconds{{{labels}}}", 0.0),
                collected=int(metrics.get(f"holdsport_gc_collected_objects_total{{{labels}}}", 0)),
            )

        with self.engine.connect() as connection:
            rows = {
                table: int(connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
                for table in FLAT_TABLES
            }
        return Sample(
            at=at,
            rss_kib=rss_kib(self.pid),
            connections=int(metrics.get("holdsport_connections", 0)),
            rows=rows,
            longest_stall=metrics.get("holdsport_loop_lag_max_seconds", 0.0),
            stalls=over("holdsport_loop_lag_seconds"),
            longest_held=metrics.get("holdsport_loop_held_max_seconds", 0.0),
            held=over("holdsport_loop_held_seconds"),
            gc={generation: collections(generation) for generation in GENERATIONS},
            full={
                reason: int(
                    metrics.get(f'holdsport_gc_full_collections_total{{reason="{reason}"}}', 0)
                )
                for reason in ("quiet", "growth")
            },
        )

    def stop(self) -> None:
        self.process.stop()
        self.engine.dispose()


async def churn(url: str, per_second: float, stop: asyncio.Event) -> tuple[int, int]:
    """People whose phones connect and drop again: each connection gets its snapshot,
    then goes. Their rows must go with them. Returns the connections made, and failed."""
    if per_second <= 0:
        return 0, 0
    host = await asyncio.to_thread(create_session, url, None, title="Churn", language="en")
    tokens = [
        (await asyncio.to_thread(join, url, host["join_code"], f"C{n}"))["token"] for n in range(5)
    ]
    made = failed = 0
    async with aiohttp.ClientSession() as http:
        while not stop.is_set():
            client = socketio.AsyncClient(reconnection=False, http_session=http)
            welcomed = asyncio.Event()
            client.on("session:snapshot", lambda _s, w=welcomed: w.set(), namespace=NAMESPACE)
            auth = {"token": tokens[made % len(tokens)]}
            try:
                await client.connect(
                    url, namespaces=[NAMESPACE], auth=auth, transports=["websocket"]
                )
                await asyncio.wait_for(welcomed.wait(), 30)
                made += 1
            except (socketio.exceptions.ConnectionError, TimeoutError):
                failed += 1  # a server too busy to answer in time: counted, not fatal
            finally:
                await client.disconnect()
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1 / per_second)
    return made, failed


async def soak(server: Server, args: argparse.Namespace) -> dict[str, Any]:
    url = server.process.url
    load = (NodeLoad if args.generator == "node" else Load)(args.target, [url], args)
    setups = await asyncio.to_thread(make_sessions, args.target, url, args.sessions)
    joined_in = await load.join_all(setups)
    after_join = await asyncio.to_thread(server.sample, 0.0)  # also starts the stall interval
    stop = asyncio.Event()
    churning = asyncio.create_task(churn(url, args.churn, stop))
    seconds = args.minutes * 60
    sending = asyncio.create_task(load.send(args.rate, seconds))
    samples: list[Sample] = []
    began = time.monotonic()
    print(
        "  min    RSS MiB  conns  "
        + "  ".join(FLAT_TABLES)
        + "  stall ms  held ms  gen-2 GCs  longest GC ms 0/1/2 (CPU ms)  garbage 0/1/2",
        flush=True,
    )
    stopped = None  # why sending stopped early, if it did
    while True:
        try:
            await asyncio.wait_for(asyncio.shield(sending), args.sample)
            break  # sent for the whole time, and waited out the deliveries
        except TimeoutError:
            pass
        except Exception as err:  # a sender lost its connection: say so, and report
            stopped = f"{type(err).__name__}: {err}"
            break
        sample = await asyncio.to_thread(server.sample, time.monotonic() - began)
        samples.append(sample)
        rows = "  ".join(str(sample.rows[t]).rjust(len(t)) for t in FLAT_TABLES)
        print(
            f"{sample.at / 60:5.1f}  {sample.rss_kib / 1024:9.1f}  {sample.connections:5d}  "
            f"{rows}  {1000 * sample.longest_stall:8.0f}  {1000 * sample.longest_held:7.0f}  "
            f"{sample.gc['2'].count:9d}  "
            + "/".join(f"{1000 * sample.gc[g].longest:.0f}" for g in GENERATIONS)
            + " ("
            + "/".join(f"{1000 * sample.gc[g].longest_cpu:.0f}" for g in GENERATIONS)
            + ")  "
            + "/".join(f"{sample.gc[g].collected}" for g in GENERATIONS),
            flush=True,
        )
    stop.set()
    churned = await churning
    # Everyone still connected, nobody sending: a quiet server collects its old generation
    # (core.heap), which tells the cyclic garbage that aged there during the whole run.
    await asyncio.sleep(QUIET_WAIT_SECONDS)
    quiet = await asyncio.to_thread(server.sample, time.monotonic() - began)
    latencies, made, due = load.deliveries()
    await load.leave()
    return {
        "quiet": quiet,
        "joined_in": joined_in,
        "after_join": after_join,
        "samples": samples,
        "churned": churned,
        "stopped": stopped,
        "latencies": latencies,
        "made": made,
        "due": due,
    }


def report(result: dict[str, Any], args: argparse.Namespace) -> None:
    samples: list[Sample] = result["samples"]
    if len(samples) < 2:
        print("too short for a table: run for longer than two samples")
        return
    # The first minute (or fifth of the run) warms up: buffers, caches, the first GC.
    warm = next((s for s in samples if s.at >= min(60, args.minutes * 12)), samples[0])
    end = samples[-1]
    after_join: Sample = result["after_join"]
    during = [s for s in samples if s.at > 0]
    longest = max(s.longest_stall for s in during)
    stalls = end.stalls - after_join.stalls
    longest_held = max(s.longest_held for s in during)
    held = end.held - after_join.held
    rows = [
        (
            "server memory (RSS), MiB",
            after_join.rss_kib / 1024,
            warm.rss_kib / 1024,
            end.rss_kib / 1024,
        ),
        ("open connections", after_join.connections, warm.connections, end.connections),
    ]
    rows += [(f"rows in {t}", after_join.rows[t], warm.rows[t], end.rows[t]) for t in FLAT_TABLES]
    print(
        f"\nSoak: {args.sessions} sessions of {args.people}, {args.target}, "
        f"{args.rate:g} command/s per session, {args.minutes:g} min, "
        f"{args.churn:g} connect+disconnect/s ({result['churned'][0]} in all, "
        f"{result['churned'][1]} failed)"
    )
    at_warm, at_end = f"at {warm.at / 60:.1f} min", f"end ({end.at / 60:.1f} min)"
    print(f"| | after joining | {at_warm} | {at_end} | end - warm |")
    print("|---|---|---|---|---|")
    for label, joined, warmed, ended in rows:
        print(
            f"| {label} | {joined:,.0f} | {warmed:,.0f} | {ended:,.0f} | {ended - warmed:+,.0f} |"
        )
    print(f"| longest event-loop stall while sending | {1000 * longest:.0f} ms | | | |")
    print(f"| stalls over {1000 * STALL_SECONDS:.0f} ms while sending | {stalls} | | | |")
    print(f"| the same, less waiting for a core: longest | {1000 * longest_held:.0f} ms | | | |")
    print(
        f"| the same, less waiting for a core: over {STALL_SECONDS * 1000:.0f} ms | {held} | | | |"
    )
    for generation in GENERATIONS:
        joined, ended = after_join.gc[generation], end.gc[generation]
        print(
            f"| generation-{generation} collections while sending: count, over "
            f"{1000 * GC_SLOW_SECONDS:.0f} / {1000 * STALL_SECONDS:.0f} ms, objects found "
            f"unreachable | {ended.count - joined.count:,}, {ended.slow - joined.slow} / "
            f"{ended.stalling - joined.stalling}, {ended.collected - joined.collected:,} | | | |"
        )
        print(
            f"| generation {generation}: the longest since start, and the most CPU one used | "
            f"{1000 * ended.longest:.0f} ms, {1000 * ended.longest_cpu:.0f} ms | | | |"
        )
    quiet: Sample = result["quiet"]
    for label, sample in (("since start", end), (f"{QUIET_WAIT_SECONDS} s after sending", quiet)):
        full = ", ".join(f"{n} {reason}" for reason, n in sample.full.items())
        print(f"| full collections the server ran itself, {label} | {full} | | | |")
    found = quiet.gc["2"].collected - end.gc["2"].collected
    print(
        f"| objects those after sending found unreachable; RSS then | {found:,}; "
        f"{quiet.rss_kib / 1024:,.0f} MiB | | | |"
    )
    if result["stopped"]:
        print(f"| sending stopped early | {result['stopped']} | | | |")
    latencies = result["latencies"]
    print(
        f"| change -> every screen p50 / p99 ms | {1000 * percentile(latencies, 0.5):.1f} / "
        f"{1000 * percentile(latencies, 0.99):.0f} | | | |"
    )
    share = 100 * result["made"] / max(1, result["due"])
    print(f"| delivered within 5 s | {share:.2f} % of {result['due']:,} | | | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--people", type=int, default=10)
    parser.add_argument("--rate", type=float, default=1.0, help="commands/s per session")
    parser.add_argument("--target", choices=["board", "hand"], default="hand")
    parser.add_argument("--churn", type=float, default=2.0, help="connect+disconnect a second")
    parser.add_argument("--sample", type=float, default=30.0, help="seconds between samples")
    parser.add_argument("--no-deflate", action="store_true")
    parser.add_argument(
        "--generator", choices=["node", "python"], default="node", help="the clients' stack"
    )
    parser.add_argument("--workers", type=int, default=1, help="Node processes")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if args.generator == "node":
        node_packages()
    with tempfile.TemporaryDirectory() as scratch, ExitStack() as stack:
        given = args.database_url or f"sqlite:///{scratch}/soak.db"
        database = stack.enter_context(fresh_database(given, "bench_soak"))
        server = Server(database).start()
        pin(server.pid)
        try:
            result = asyncio.run(soak(server, args))
        finally:
            server.stop()
    report(result, args)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
