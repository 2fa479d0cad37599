"""Who sits with whom in a breakout phase: pure functions over people's ids and
organisations, no database, so the feature can store and show a `Plan` as it likes.

A plan keeps colleagues (the same organisation, compared by `same_organisation_key`) in
different groups wherever that is possible and names the groups where it is not, and in a
later breakout phase it rotates people so the fewest pairs meet again. The facilitator
sees it before it starts, moves people by hand (`move`), and latecomers are placed into a
group with room (`place_latecomer`).

No function here takes anyone out of a plan: someone who drops keeps their place, so
their group is still theirs if they come back and nobody else is moved because of it.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import NamedTuple

from server.breakouts import search

Pair = tuple[int, int]  # two people's ids, the smaller first


class Person(NamedTuple):
    """Anyone with an id and the organisation they gave (as written, or None)."""

    id: int
    organisation: str | None


@dataclass(frozen=True)
class Group:
    """One table in the room; people are told its number and find it by that."""

    number: int  # 1, 2, ...: what the room display shows; it stays when people move
    members: tuple[Person, ...]

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(person.id for person in self.members)


@dataclass(frozen=True)
class Conflict:
    """Colleagues in one group: what the facilitator is told, since they may speak less
    freely in front of each other than in front of peers from elsewhere."""

    group: int
    organisation: str  # as the first of them wrote it (spaces tidied), for showing
    people: tuple[int, ...]


@dataclass(frozen=True)
class Plan:
    """The seating of one breakout phase. Frozen: a move or a latecomer gives a new plan,
    so the facilitator's screen can set it beside the one people were told."""

    size: int  # the size asked for; latecomers are placed by it
    groups: tuple[Group, ...]

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return tuple(conflict for group in self.groups for conflict in _conflicts_in(group))

    def group_of(self, person_id: int) -> Group | None:
        return next((group for group in self.groups if person_id in group.ids), None)


def same_organisation_key(text: str | None) -> str | None:
    """What two organisations are compared by: "Aarhus Kommune", " aarhus  kommune" and
    "AARHUS KOMMUNE" are one. Nothing (or only spaces) gives None, which is nobody's
    colleague. Spellings stay apart ("Århus" is not "Aarhus"): guessing would join
    organisations that are not one."""
    if text is None:
        return None
    # NFKC before folding joins Å as one letter and as A + ring; after it, since folding
    # can leave a string that is no longer normalised (Unicode's NFKC_Casefold does both).
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(folded.split()) or None


def group_sizes(people: int, size: int) -> tuple[int, ...]:
    """How many sit in each group, largest first. The sizes differ by at most one and are
    as close to `size` as the number of people allows (within one of it for sizes 2 to 4,
    and for any size once there are enough people); between two splits as close, the one
    with fewer, larger groups: in a trio a fourth can join the consultants, while a pair
    has nobody to consult. No group is smaller than 2, unless there is one person."""
    if size < 2:
        raise ValueError("a group has at least two people")
    if people < 2:
        return (people,) * people  # nobody: no group; one person: a group of one

    def split(groups: int) -> tuple[int, ...]:
        each, extra = divmod(people, groups)
        return (each + 1,) * extra + (each,) * (groups - extra)

    def distance(groups: int) -> tuple[int, int]:
        return max(abs(size - each) for each in split(groups)), groups

    return split(min(range(1, people // 2 + 1), key=distance))


def plan(
    people: Iterable[tuple[int, str | None]],
    size: int = 3,
    earlier_meetings: Iterable[Iterable[int]] = (),
    seed: int = 0,
) -> Plan:
    """Groups of `group_sizes(len(people), size)`: first the fewest colleague pairs (none
    whenever no organisation has more people than there are groups), then the fewest
    pairs who already met (`earlier_meetings`, e.g. `meetings(earlier_plan)` of every
    earlier round). The same people and seed give the same plan, in whatever order the
    people come."""
    everyone = sorted((Person(*person) for person in people), key=lambda person: person.id)
    if len({person.id for person in everyone}) < len(everyone):
        raise ValueError("the same person twice")
    sizes = group_sizes(len(everyone), size)
    if not sizes:
        return Plan(size, ())
    keys = [same_organisation_key(person.organisation) for person in everyone]
    met = _pairs(earlier_meetings)
    weight = len(everyone) ** 2  # one colleague pair outweighs every possible repeat
    cost = [
        [
            weight * (a != b and keys[a] is not None and keys[a] == keys[b])
            + (_pair(everyone[a].id, everyone[b].id) in met)
            for b in range(len(everyone))
        ]
        for a in range(len(everyone))
    ]
    rng = random.Random(seed)
    start = search.deal(keys, len(sizes), rng)
    floor = weight * search.unavoidable(keys, len(sizes))
    found = search.improve(start, cost, floor, rng)
    found.sort(key=lambda group: (-len(group), min(group)))
    return Plan(
        size,
        tuple(
            Group(number, tuple(everyone[index] for index in sorted(group)))
            for number, group in enumerate(found, start=1)
        ),
    )


def meetings(plan: Plan) -> frozenset[Pair]:
    """Every pair who sat together in this plan: the next round's `earlier_meetings`."""
    return frozenset(_pair(a, b) for group in plan.groups for a, b in combinations(group.ids, 2))


def repeat_pairs(plan: Plan, earlier_meetings: Iterable[Iterable[int]]) -> tuple[Pair, ...]:
    """The pairs in this plan who had already met."""
    return tuple(sorted(meetings(plan) & _pairs(earlier_meetings)))


def place_latecomer(
    plan: Plan, person: tuple[int, str | None], earlier_meetings: Iterable[Iterable[int]] = ()
) -> Plan:
    """The plan with a latecomer in a group with room (fewer than size + 1 people; every
    group, if none has): one without a colleague of theirs if there is one, then the
    smallest, then one where they meet the fewest people again, then the lowest number.
    Everybody else stays where they were told to sit."""
    latecomer = Person(*person)
    if plan.group_of(latecomer.id) is not None:
        raise ValueError("already in the plan")
    seated = [group for group in plan.groups if group.members]
    if not seated:
        return Plan(plan.size, (*plan.groups, Group(len(plan.groups) + 1, (latecomer,))))
    met = _pairs(earlier_meetings)
    key = same_organisation_key(latecomer.organisation)

    def badness(group: Group) -> tuple[bool, int, int, int]:
        colleague = key is not None and any(
            same_organisation_key(member.organisation) == key for member in group.members
        )
        repeats = sum(_pair(latecomer.id, member) in met for member in group.ids)
        return colleague, len(group.members), repeats, group.number

    roomy = [group for group in seated if len(group.members) <= plan.size] or seated
    return _with_person(plan, latecomer, min(roomy, key=badness).number)


def move(plan: Plan, person_id: int, to_group: int) -> tuple[Plan, tuple[Conflict, ...]]:
    """The facilitator's move of one person into another group (one past the last number
    opens a new group; a group left empty keeps its number, so nobody else's changes).
    Also returns the colleague conflicts the move makes, so the screen can say so."""
    current = plan.group_of(person_id)
    if current is None:
        raise ValueError("not in the plan")
    if not 1 <= to_group <= len(plan.groups) + 1:
        raise ValueError("no such group")
    if to_group == current.number:
        return plan, ()
    person = next(member for member in current.members if member.id == person_id)
    without = tuple(
        Group(group.number, tuple(member for member in group.members if member.id != person_id))
        for group in plan.groups
    )
    moved = _with_person(Plan(plan.size, without), person, to_group)
    made = tuple(
        conflict
        for conflict in moved.conflicts
        if conflict.group == to_group and person_id in conflict.people
    )
    return moved, made


def _with_person(plan: Plan, person: Person, number: int) -> Plan:
    groups = list(plan.groups)
    if number > len(groups):
        groups.append(Group(number, ()))
    group = groups[number - 1]
    members = tuple(sorted((*group.members, person), key=lambda member: member.id))
    groups[number - 1] = Group(number, members)
    return Plan(plan.size, tuple(groups))


def _conflicts_in(group: Group) -> list[Conflict]:
    by_key: dict[str, list[Person]] = {}
    for member in group.members:
        key = same_organisation_key(member.organisation)
        if key is not None:
            by_key.setdefault(key, []).append(member)
    return [
        Conflict(
            group.number,
            " ".join((colleagues[0].organisation or "").split()),
            tuple(member.id for member in colleagues),
        )
        for colleagues in by_key.values()
        if len(colleagues) > 1
    ]


def _pair(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def _pairs(meetings: Iterable[Iterable[int]]) -> frozenset[Pair]:
    found = set()
    for meeting in meetings:
        a, b = meeting
        if a != b:  # nobody "meets" themselves; the search counts on it
            found.add(_pair(a, b))
    return frozenset(found)
