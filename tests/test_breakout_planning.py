"""Who sits with whom in a breakout phase (server/breakouts/planning.py), checked against
brute force: on small inputs every grouping with the planned sizes is tried, so "no
colleagues together whenever possible" and "the fewest repeat meetings" are compared with
what is really possible, not with what the planner believes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.breakouts import planning
from server.breakouts.planning import Conflict, Group, Person, Plan

ORGANISATIONS = [
    "Aarhus Kommune",
    " aarhus  kommune",
    "AARHUS KOMMUNE",
    "Region Sjælland",
    "REGION SJÆLLAND",
    "Novo Nordisk",
    "Århus Sygehus",
    None,
    "",
]
FEW = settings(max_examples=150, deadline=None)


def people_of(organisations: Sequence[str | None]) -> list[tuple[int, str | None]]:
    return [(10 + index, organisation) for index, organisation in enumerate(organisations)]


small_rooms = st.lists(st.sampled_from(ORGANISATIONS), min_size=1, max_size=7)
sizes = st.integers(2, 4)


def colleague_pairs(groups: Sequence[Sequence[Person]]) -> int:
    return sum(
        1
        for group in groups
        for a, b in combinations(group, 2)
        if planning.same_organisation_key(a.organisation) is not None
        and planning.same_organisation_key(a.organisation)
        == planning.same_organisation_key(b.organisation)
    )


def repeats(groups: Sequence[Sequence[Person]], met: set[tuple[int, int]]) -> int:
    return sum(
        1
        for group in groups
        for a, b in combinations(group, 2)
        if (min(a.id, b.id), max(a.id, b.id)) in met
    )


def groupings(people: list[Person], sizes: tuple[int, ...]) -> Iterator[list[list[Person]]]:
    """Every way to seat these people in groups of these sizes (in any order)."""

    def seat(index: int, groups: list[list[Person]]) -> Iterator[list[list[Person]]]:
        if index == len(people):
            if sorted(map(len, groups)) == sorted(sizes):
                yield [list(group) for group in groups]
            return
        for group in groups:
            if len(group) < max(sizes):
                group.append(people[index])
                yield from seat(index + 1, groups)
                group.pop()
        if len(groups) < len(sizes):
            groups.append([people[index]])
            yield from seat(index + 1, groups)
            groups.pop()

    yield from seat(0, [])


def best_possible(people: list[Person], sizes: tuple[int, ...], met: set[tuple[int, int]]):
    return min(
        (colleague_pairs(groups), repeats(groups, met)) for groups in groupings(people, sizes)
    )


def members(plan: Plan) -> list[tuple[Person, ...]]:
    return [group.members for group in plan.groups]


def everyone_once(plan: Plan) -> list[int]:
    return sorted(person_id for group in plan.groups for person_id in group.ids)


# -- organisations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Aarhus Kommune", " aarhus  kommune"),
        ("Aarhus Kommune", "AARHUS KOMMUNE"),
        ("Ærø Kommune", "ÆRØ\tkommune"),
        ("Region Sjælland", "region sjælland "),
        ("Å", "A\u030a"),  # Å as one letter and as A with a ring above
        ("Vordingborg\u00a0Kommune", "vordingborg kommune"),  # a no-break space
        ("Ｎｏｖｏ", "novo"),  # full-width letters
        ("Straße", "STRASSE"),
    ],
)
def test_spellings_of_one_organisation_are_one(one, other):
    assert planning.same_organisation_key(one) == planning.same_organisation_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Aarhus Kommune", "Århus Kommune"), ("Ærø Kommune", "Aero Kommune"), ("Øster", "Oster")],
)
def test_other_spellings_are_other_organisations(one, other):
    assert planning.same_organisation_key(one) != planning.same_organisation_key(other)


@pytest.mark.parametrize("nothing", [None, "", "   ", "\u00a0"])
def test_no_organisation_is_nobodys_colleague(nothing):
    assert planning.same_organisation_key(nothing) is None
    alone = planning.plan([(1, nothing), (2, nothing), (3, None)], size=3)
    assert [group.ids for group in alone.groups] == [(1, 2, 3)]
    assert alone.conflicts == ()


# -- group sizes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("people", "size", "expected"),
    [
        (0, 3, ()),
        (1, 3, (1,)),
        (2, 3, (2,)),
        (4, 3, (4,)),
        (5, 3, (3, 2)),
        (9, 3, (3, 3, 3)),
        (10, 3, (4, 3, 3)),
        (11, 3, (4, 4, 3)),
        (60, 3, (3,) * 20),
        (3, 2, (3,)),
        (7, 2, (3, 2, 2)),
        (14, 10, (7, 7)),
    ],
)
def test_group_sizes(people, size, expected):
    assert planning.group_sizes(people, size) == expected


@given(st.integers(0, 80), st.integers(2, 12))
def test_sizes_are_balanced_and_as_close_to_the_size_as_any_split(people, size):
    found = planning.group_sizes(people, size)
    assert sum(found) == people
    if people:
        assert max(found) - min(found) <= 1
        assert min(found) >= 2 or people == 1
    if people >= 2:
        splits = [
            [people // groups + (index < people % groups) for index in range(groups)]
            for groups in range(1, people // 2 + 1)
        ]
        closest = min(max(abs(each - size) for each in split) for split in splits)
        assert max(abs(each - size) for each in found) == closest
    if 2 <= size <= 4 and people >= max(size - 1, 2):
        assert all(abs(each - size) <= 1 for each in found)


def test_a_group_has_at_least_two_places():
    with pytest.raises(ValueError):
        planning.group_sizes(6, 1)


# -- colleagues apart --------------------------------------------------------------------


@FEW
@given(small_rooms, sizes, st.integers(0, 3))
def test_colleagues_sit_apart_whenever_any_grouping_allows(organisations, size, seed):
    people = [Person(*person) for person in people_of(organisations)]
    made = planning.plan(people, size, seed=seed)
    sizes = planning.group_sizes(len(people), size)
    assert everyone_once(made) == [person.id for person in people]
    assert tuple(len(group.members) for group in made.groups) == sizes
    fewest = best_possible(people, sizes, set())[0]
    assert colleague_pairs(members(made)) == fewest
    # The rule the planner's deal rests on: balanced groups can keep colleagues apart
    # exactly when no organisation has more people than there are groups.
    counts = Counter(
        key for key in map(planning.same_organisation_key, organisations) if key is not None
    )
    assert (fewest == 0) == (max(counts.values(), default=0) <= len(sizes))
    # The conflicts name every group with colleagues in it, and only those.
    pairs = sum(len(c.people) * (len(c.people) - 1) // 2 for c in made.conflicts)
    assert pairs == fewest
    organisation_of = dict(people)
    for conflict in made.conflicts:
        assert set(conflict.people) <= set(made.groups[conflict.group - 1].ids)
        keys = {planning.same_organisation_key(organisation_of[p]) for p in conflict.people}
        assert keys == {planning.same_organisation_key(conflict.organisation)}


def test_unavoidable_conflicts_say_which_group_and_organisation():
    people = [(1, "Aarhus Kommune"), (2, "aarhus kommune"), (3, "AARHUS  Kommune"), (4, "Novo")]
    made = planning.plan(people, size=2)
    assert [len(group.members) for group in made.groups] == [2, 2]
    assert len(made.conflicts) == 1
    (conflict,) = made.conflicts
    assert conflict.organisation in {"Aarhus Kommune", "aarhus kommune", "AARHUS Kommune"}
    assert set(conflict.people) == set(made.groups[conflict.group - 1].ids)


# -- rotation ----------------------------------------------------------------------------


@FEW
@given(
    small_rooms,
    sizes,
    st.sets(st.tuples(st.integers(10, 16), st.integers(10, 16))),
    st.integers(0, 3),
)
def test_the_fewest_repeat_meetings_after_the_fewest_colleague_pairs(
    organisations, size, earlier, seed
):
    people = [Person(*person) for person in people_of(organisations)]
    met = {(min(a, b), max(a, b)) for a, b in earlier if a != b}
    made = planning.plan(people, size, earlier_meetings=met, seed=seed)
    sizes = planning.group_sizes(len(people), size)
    found = (colleague_pairs(members(made)), repeats(members(made), met))
    assert found == best_possible(people, sizes, met)
    assert len(planning.repeat_pairs(made, met)) == found[1]


@FEW
@given(st.permutations(range(9)), st.integers(0, 1000))
def test_nine_people_in_trios_meet_new_peers_in_a_second_round(order, seed):
    people = [(person, None) for person in order]
    first = Plan(
        3,
        tuple(Group(n + 1, tuple(Person(*p) for p in people[3 * n : 3 * n + 3])) for n in range(3)),
    )
    second = planning.plan(people, 3, planning.meetings(first), seed=seed)
    assert planning.repeat_pairs(second, planning.meetings(first)) == ()


@FEW
@given(st.integers(0, 1000))
def test_nine_people_from_three_organisations_rotate_without_colleagues(seed):
    people = [(person, f"Kommune {person % 3}") for person in range(9)]
    met: set[tuple[int, int]] = set()
    for _ in range(2):
        made = planning.plan(people, 3, met, seed=seed)
        assert made.conflicts == ()
        assert planning.repeat_pairs(made, met) == ()
        met |= planning.meetings(made)


def test_sixty_people_from_twelve_organisations_meet_new_peers_four_times():
    people = [(person, f"Organisation {person % 12}") for person in range(60)]
    met: set[tuple[int, int]] = set()
    for round_ in range(4):
        made = planning.plan(people, 3, met, seed=round_)
        assert [len(group.members) for group in made.groups] == [3] * 20
        assert made.conflicts == ()
        assert planning.repeat_pairs(made, met) == ()
        met |= planning.meetings(made)
    assert len(met) == 4 * 20 * 3


def test_the_same_seed_gives_the_same_plan_whatever_the_order():
    people = [(person, f"Organisation {person % 5}") for person in range(23)]
    made = planning.plan(people, 3, seed=7)
    assert planning.plan(list(reversed(people)), 3, seed=7) == made
    assert {planning.plan(people, 3, seed=seed) for seed in range(5)} != {made}


def test_a_meeting_with_oneself_is_no_meeting():
    people = [(person, None) for person in range(12)]
    made = planning.plan(people, 3, earlier_meetings=[(1, 1), (2, 2)], seed=3)
    assert made == planning.plan(people, 3, seed=3)
    assert planning.repeat_pairs(made, [(1, 1), (2, 2)]) == ()


def test_nobody_twice():
    with pytest.raises(ValueError):
        planning.plan([(1, "A"), (1, "B")])


# -- latecomers --------------------------------------------------------------------------


def seated(*groups: list[tuple[int, str | None]], size: int = 3) -> Plan:
    return Plan(
        size,
        tuple(
            Group(number, tuple(Person(*person) for person in group))
            for number, group in enumerate(groups, start=1)
        ),
    )


def test_a_latecomer_goes_to_the_smallest_group_without_a_colleague():
    before = seated([(1, "A"), (2, "B"), (3, "C")], [(4, "D"), (5, "E")], [(6, "F"), (7, "A")])
    after = planning.place_latecomer(before, (8, "a"))
    assert after.group_of(8).number == 2
    assert after.groups[0] == before.groups[0] and after.groups[2] == before.groups[2]
    assert after.conflicts == ()
    # The smallest group, even if they met someone there before.
    later = planning.place_latecomer(after, (9, "G"), earlier_meetings=[(9, 6)])
    assert later.group_of(9).number == 3


def test_a_latecomer_meets_new_peers_among_groups_as_small():
    before = seated([(1, "A"), (2, "B")], [(3, "C"), (4, "D")])
    after = planning.place_latecomer(before, (5, "E"), earlier_meetings=[(1, 5)])
    assert after.group_of(5).number == 2


def test_a_latecomer_joins_a_colleague_only_when_every_group_with_room_has_one():
    before = seated([(1, "A"), (2, "B"), (3, "C")], [(4, "A"), (5, "E"), (6, "F")])
    after = planning.place_latecomer(before, (7, " a "))
    assert after.group_of(7).number == 1
    assert [c.group for c in after.conflicts] == [1]


def test_a_latecomer_is_placed_even_when_every_group_is_full():
    before = seated([(1, "A"), (2, "B"), (3, "C"), (4, "D")], [(5, "E"), (6, "F")], size=2)
    after = planning.place_latecomer(before, (7, None))
    assert after.group_of(7).number == 2
    full = planning.place_latecomer(after, (8, None))
    assert len(full.groups) == 2 and everyone_once(full) == list(range(1, 9))


def test_the_first_person_opens_group_one():
    after = planning.place_latecomer(planning.plan([]), (5, None))
    assert [group.ids for group in after.groups] == [(5,)]
    with pytest.raises(ValueError):
        planning.place_latecomer(after, (5, None))


# -- moves by hand -----------------------------------------------------------------------


def test_a_move_says_which_conflicts_it_makes():
    before = seated([(1, "Aarhus Kommune"), (2, "B"), (3, "C")], [(4, "aarhus kommune"), (5, "E")])
    after, made = planning.move(before, 4, 1)
    assert after.group_of(4).number == 1
    assert made == (Conflict(1, "Aarhus Kommune", (1, 4)),)
    assert after.conflicts == made
    back, made = planning.move(after, 4, 2)
    assert back == before and made == ()


def test_a_move_to_a_new_group_and_away_keeps_every_number():
    before = seated([(1, "A"), (2, "B")], [(3, "C"), (4, "D")])
    after, made = planning.move(before, 2, 3)
    assert [group.ids for group in after.groups] == [(1,), (3, 4), (2,)]
    emptied, _ = planning.move(after, 1, 2)
    assert [group.number for group in emptied.groups] == [1, 2, 3]
    assert emptied.groups[0].members == () and made == ()
    assert planning.move(before, 1, 1) == (before, ())
    with pytest.raises(ValueError):
        planning.move(before, 1, 4)
    with pytest.raises(ValueError):
        planning.move(before, 99, 1)


@FEW
@given(
    st.lists(st.sampled_from(ORGANISATIONS), min_size=2, max_size=12),
    st.lists(st.tuples(st.integers(0, 11), st.integers(1, 6)), max_size=6),
    st.lists(st.sampled_from(ORGANISATIONS), max_size=4),
)
def test_nobody_is_ever_taken_out_of_a_plan(organisations, moves, latecomers):
    made = planning.plan(people_of(organisations))
    expected = [person_id for person_id, _ in people_of(organisations)]
    for index, to_group in moves:
        person_id = expected[index % len(expected)]
        if to_group <= len(made.groups) + 1:
            made, conflicts = planning.move(made, person_id, to_group)
            assert all(person_id in conflict.people for conflict in conflicts)
            assert set(conflicts) <= set(made.conflicts)
    for number, organisation in enumerate(latecomers, start=100):
        made = planning.place_latecomer(made, (number, organisation))
        expected.append(number)
    assert everyone_once(made) == sorted(expected)
