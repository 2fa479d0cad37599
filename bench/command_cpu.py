r"""Server CPU per command, in process: what each command a session really sends costs.

One app on a temporary SQLite file (the test client, no network, no eventlet), as in
bench/join_cpu.py: one started session (its agenda an opening discussion and a few breaks;
with --round, a round where each takes a turn after the discussion, so that a move goes
into its first speaker's turn and back, as bench/load.py's `next`) with its facilitator
and P participants connected, so that every command's fan-out (the room's event,
per-reader payloads) is included. C commands of each kind are sent in turn, measured
with `time.process_time` around each, less what the test client spends taking in what
it is sent (Delivery); prints server CPU ms per command by kind (mean, p50, p99) and,
with --profile, cProfile's top functions over all of them (the test client's included).

    .venv/bin/python bench/command_cpu.py                     # 25 people, 200 per kind
    .venv/bin/python bench/command_cpu.py --only board:add_cluster --profile 30
    .venv/bin/python bench/command_cpu.py --people 9 --round \
        --only agenda:next --only agenda:previous            # into a round and back
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from join_cpu import Delivery, collect_as_the_server_does, connect, make_app, percentile

from server import features
from server.app import socketio_of
from server.core.realtime import NAMESPACE
from tests.accounts_support import signed_in_client

# A bench sends far more than a person would: the command budget is lifted.
UNTHROTTLED = {"HOLDSPORT_COMMAND_LIMIT": "100000", "HOLDSPORT_COMMAND_BURST": "100000"}
# Sent together, in turn: a hand is raised, then lowered.
ROUNDS = [["hand:raise", "hand:lower"], ["board:post"], ["board:react"], ["board:add_cluster"]]
ROUNDS.append(["agenda:next", "agenda:previous"])  # on to the next phase, and back
KINDS = [kind for kinds in ROUNDS for kind in kinds]


def call(client: Any, name: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    reply: dict[str, Any] = client.emit(name, payload or {}, namespace=NAMESPACE, callback=True)
    assert reply["ok"], (name, reply)
    return reply


class Meeting:
    """A started session: the facilitator, P participants, a board open, some phases."""

    def __init__(self, app: Any, io_: Any, people: int, phases: int, round_: bool) -> None:
        http = signed_in_client(app)
        body = {"title": "Bench", "language": "en", "facilitator_name": "Host"}
        made = http.post("/api/sessions", json={**body, "admission": "code"}).get_json()
        self.host = connect(io_, app, http, made["facilitator_token"])
        if round_:  # as bench/load.py's `next`: a move goes into its first turn and back
            call(self.host, "agenda:add_phase", {"kind": "round", "title": "Round", "minutes": 60})
        for n in range(phases):
            phase = {"kind": "break", "title": f"Break {n}", "minutes": 5}
            call(self.host, "agenda:add_phase", phase)
        call(self.host, "session:start")
        self.people = []
        for p in range(people):
            join = {"join_code": made["join_code"], "display_name": f"P{p}", "language": "en"}
            token = http.post("/api/join", json=join).get_json()["token"]
            self.people.append(connect(io_, app, http, token))
        call(self.host, "board:open", {"prompts": ["Ideas"]})
        self.revealed = False
        self.posts: list[str] = []
        self.segment = call(self.host, "session:sync")["snapshot"]["agenda"]["segment"]
        self.clear()

    def clear(self) -> None:
        for client in [self.host, *self.people]:
            client.get_received(NAMESPACE)

    def person(self, n: int) -> Any:
        return self.people[n % len(self.people)]

    def send(self, kind: str, n: int) -> Callable[[], Any]:
        """The n-th command of this kind, ready to send."""
        if kind in ("hand:raise", "hand:lower"):
            return lambda: call(self.person(n), kind)
        if kind == "board:post":
            post = {"prompt": 0, "text": f"Idea {n}", "secret": f"{n:032d}"}
            return lambda: self.posts.append(call(self.person(n), kind, post)["post"]["id"])
        if kind == "board:react":
            if not self.revealed:  # posts are reacted to once they are shown
                self.revealed = bool(call(self.host, "board:reveal"))
                self.clear()
            post_id = self.posts[n % len(self.posts)]
            react = {"post_id": post_id, "kind": ("me_too", "thanks")[n % 2]}
            return lambda: call(self.person(n), kind, react)
        if kind == "board:add_cluster":
            return lambda: call(self.host, kind, {"name": f"Cluster {n}"})
        self.segment += 1  # raised by one at every move
        return lambda: call(self.host, kind, {"segment": self.segment - 1})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=25)
    parser.add_argument("--count", type=int, default=200, help="commands of each kind")
    parser.add_argument("--phases", type=int, default=8, help="phases in the agenda")
    parser.add_argument("--round", action="store_true", help="moves go into a round and back")
    parser.add_argument("--only", action="append", choices=KINDS, help="these kinds only")
    parser.add_argument("--profile", type=int, default=0, help="print the top N functions")
    parser.add_argument("--dump", help="write the profile to this file (pstats)")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime")
    args = parser.parse_args()
    kinds = args.only or KINDS
    features.install()
    profiler = cProfile.Profile() if args.profile else None
    spent: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as directory:
        app = make_app(Path(directory), UNTHROTTLED)
        io_ = socketio_of(app)
        meeting = Meeting(app, io_, args.people, args.phases, args.round)
        delivery = Delivery(io_.server)
        collect_as_the_server_does()
        for round_ in ROUNDS:
            for n in range(args.count):
                for kind in (kind for kind in round_ if kind in kinds):
                    send = meeting.send(kind, n)
                    if profiler:
                        profiler.enable()
                    start, delivered = time.process_time(), delivery.seconds
                    send()
                    server = time.process_time() - start - (delivery.seconds - delivered)
                    spent.setdefault(kind, []).append(server * 1000)
                    if profiler:
                        profiler.disable()
                    meeting.clear()
        app.extensions["holdsport"].db.dispose()
    print(f"{args.count} commands of each kind, {args.people} people and the facilitator")
    print(f"{'command':<20} {'mean':>7} {'p50':>7} {'p99':>7}   (server CPU ms per command)")
    for kind, times in spent.items():
        mean = sum(times) / len(times)
        p50, p99 = percentile(times, 0.5), percentile(times, 0.99)
        print(f"{kind:<20} {mean:7.2f} {p50:7.2f} {p99:7.2f}")
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        if args.dump:
            stats.dump_stats(args.dump)
        calls = stats.total_calls  # type: ignore[attr-defined]
        print(f"function calls per command: {calls / sum(map(len, spent.values())):.0f}")
        stats.sort_stats(args.sort).print_stats(args.profile)
        print(out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
