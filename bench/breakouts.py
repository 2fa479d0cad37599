"""Breakout planning benchmark: how long it takes to seat a leader network in groups, and
how well it does.

Plans N people from a number of organisations (the same number from each) into groups of
the chosen size for several consecutive breakout phases, each round avoiding the pairs
every earlier round seated together. Prints one row per round: the time to plan it, the
colleague pairs (two people of one organisation in a group) and the repeat pairs (two who
already met). No server, no database: the planner alone (server/breakouts/planning.py).

    .venv/bin/python bench/breakouts.py        # 60 people, 12 organisations, trios, 4 rounds
    .venv/bin/python bench/breakouts.py --people 40 --organisations 5 --rounds 6 --size 4
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.breakouts import planning  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--organisations", type=int, default=12)
    parser.add_argument("--size", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    people = [
        (person, f"Organisation {person % args.organisations}") for person in range(args.people)
    ]
    met: set[tuple[int, int]] = set()
    sizes = Counter(planning.group_sizes(args.people, args.size))
    groups = ", ".join(f"{count} of {size}" for size, count in sorted(sizes.items()))
    print(f"{args.people} people, {args.organisations} organisations, groups: {groups}")
    print(f"{'round':>5} {'ms to plan':>11} {'same-org pairs':>15} {'repeat pairs':>13}")
    for round_ in range(1, args.rounds + 1):
        started = time.perf_counter()
        plan = planning.plan(people, args.size, met, seed=args.seed + round_)
        elapsed = (time.perf_counter() - started) * 1000
        colleagues = sum(len(c.people) * (len(c.people) - 1) // 2 for c in plan.conflicts)
        repeats = len(planning.repeat_pairs(plan, met))
        print(f"{round_:>5} {elapsed:>11.1f} {colleagues:>15} {repeats:>13}")
        met |= planning.meetings(plan)


if __name__ == "__main__":
    main()
