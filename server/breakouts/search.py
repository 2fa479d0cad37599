"""The search behind `planning.plan`: people are indices 0..n-1, a cost says what it costs
that two of them sit together, and groups of fixed sizes are improved by swaps.

The start is a deal: colleagues in a row, largest organisation first, dealt round the
groups like cards. That alone puts no two colleagues together whenever no organisation
has more people than there are groups (a run of at most g cards dealt round g groups lands
in g different ones), and otherwise spreads each organisation as evenly as it can be
spread, which is the fewest colleague pairs there can be. From there a min-conflicts walk
(the best swap for someone who sits badly, now and then a random one to leave a local
minimum) lowers the repeat meetings, keeping the best grouping it saw. It stops at the
floor (no repeats, no colleague pairs beyond the unavoidable) or after `STEPS` swaps, so
its time is bounded whatever the input.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

STEPS = 2_000  # swaps at most: for 60 people under a fifth of a second in CPython
WALK = 0.15  # how often a step is a random swap instead of the best one


def deal(organisations: Sequence[str | None], groups: int, rng: random.Random) -> list[list[int]]:
    """So many groups (lists of indices), sizes within one, largest first, colleagues
    spread."""
    members: dict[str, list[int]] = {}
    alone: list[int] = []
    for index, key in enumerate(organisations):
        (alone if key is None else members.setdefault(key, [])).append(index)
    runs = list(members.values()) + [[index] for index in alone]
    for run in runs:
        rng.shuffle(run)
    rng.shuffle(runs)  # ties in size in a random order; the sort below is stable
    runs.sort(key=len, reverse=True)
    dealt: list[list[int]] = [[] for _ in range(groups)]
    for position, index in enumerate(index for run in runs for index in run):
        dealt[position % groups].append(index)
    return dealt


def unavoidable(organisations: Sequence[str | None], groups: int) -> int:
    """The fewest colleague pairs any grouping into this many groups can have."""
    counts: dict[str, int] = {}
    for key in organisations:
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
    pairs = 0
    for count in counts.values():
        per_group, extra = divmod(count, groups)
        pairs += extra * (per_group + 1) * per_group // 2
        pairs += (groups - extra) * per_group * (per_group - 1) // 2
    return pairs


def improve(
    groups: list[list[int]],
    cost: Sequence[Sequence[int]],
    floor: int,
    rng: random.Random,
    steps: int = STEPS,
) -> list[list[int]]:
    """The cheapest grouping the walk finds from `groups`, with the same group sizes.
    `cost` is symmetric with zeros on its diagonal; `groups` is changed in place."""
    where = {index: number for number, group in enumerate(groups) for index in group}
    # What each person would cost sitting in each group, kept up to date by every swap,
    # so that weighing a swap is a few look-ups.
    load = [[sum(row[other] for other in group) for group in groups] for row in cost]

    def swap_delta(index: int, other: int) -> int:
        mine, theirs = where[index], where[other]
        before = load[index][mine] + load[other][theirs]
        after = load[index][theirs] + load[other][mine] - 2 * cost[index][other]
        return after - before

    def swap(index: int, other: int) -> None:
        mine, theirs = where[index], where[other]
        groups[mine][groups[mine].index(index)] = other
        groups[theirs][groups[theirs].index(other)] = index
        where[index], where[other] = theirs, mine
        for row, seats in zip(cost, load, strict=True):
            change = row[other] - row[index]
            seats[mine] += change
            seats[theirs] -= change

    total = sum(load[index][number] for index, number in where.items()) // 2
    best, best_total = [list(group) for group in groups], total
    for _ in range(steps):
        if best_total <= floor:
            break
        badly = [index for index, number in where.items() if load[index][number] > 0]
        index = rng.choice(badly)
        others = [other for other in where if where[other] != where[index]]
        if not others:
            break
        if rng.random() < WALK:
            other = rng.choice(others)
            delta = swap_delta(index, other)
        else:
            deltas = [(swap_delta(index, other), other) for other in others]
            delta = min(deltas)[0]
            other = rng.choice([other for d, other in deltas if d == delta])
        swap(index, other)
        total += delta
        if total < best_total:
            best, best_total = [list(group) for group in groups], total
    return best
