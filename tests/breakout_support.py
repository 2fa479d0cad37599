"""Breakout phases over real Socket.IO clients: a network session of people from several
organisations, and the checks every live breakout test makes of what each connection
was sent (docs/protocol.md §11: nobody receives another group's inside before the end).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from tests.live_client import LiveClient, create_session, join

# Three people of each; the first organisation written three ways, which are one.
ORGANISATIONS = [
    ["Aarhus Kommune", " aarhus  kommune", "AARHUS KOMMUNE"],
    ["Region Syd"] * 3,
    ["Novo Nordisk"] * 3,
    ["Vestas"] * 3,
]
NAMES = ["Bo", "Cai", "Dea", "Emil", "Frej", "Gry", "Hans", "Ida", "Jens", "Kaja", "Lars", "Mia"]


def organisation_key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class Network:
    """A network session made on `urls[0]`; its people join and connect round the
    `urls` (one server process each), so they are spread over every process given."""

    urls: list[str]
    host: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    organisation: dict[str, str] = field(default_factory=dict)
    people: dict[str, LiveClient] = field(default_factory=dict)
    # Every connection ever opened, the dropped ones too: each is checked at the end.
    opened: list[LiveClient] = field(default_factory=list)

    def create(self) -> None:
        self.host = create_session(self.urls[0], network=True, title="Ledernetværket")
        self.tokens = {"Anne": self.host["facilitator_token"], "screen": self.host["display_key"]}

    def add(self, name: str, organisation: str) -> None:
        url = self.urls[len(self.tokens) % len(self.urls)]
        joined = join(url, self.host["join_code"], name, organisation=organisation, agree=True)
        self.tokens[name] = joined["token"]
        self.organisation[name] = organisation

    def connect(self, name: str) -> LiveClient:
        url = self.urls[len(self.opened) % len(self.urls)]
        client = LiveClient(url, self.tokens[name]).connect()
        self.people[name] = client
        self.opened.append(client)
        return client

    def gather(self) -> None:
        """The facilitator, the room display and twelve people of four organisations."""
        self.create()
        for index, name in enumerate(NAMES):
            self.add(name, ORGANISATIONS[index % 4][index // 4])
        for name in self.tokens:
            self.connect(name)
        anne = self.people["Anne"]
        anne.wait_for(lambda: sum(p["present"] for p in anne.state["participants"]) == 13)

    @property
    def participants(self) -> list[str]:
        return [name for name in self.people if name not in ("Anne", "screen")]

    def id_of(self, name: str) -> int:
        return int(self.people[name].state["you"]["participant_id"])

    def name_of(self, participant_id: int) -> str:
        return next(name for name in self.participants if self.id_of(name) == participant_id)

    def add_phases(self) -> list[int]:
        """Two breakout phases, then the plenary's discussion, first on the agenda."""
        anne = self.people["Anne"]
        for position, (kind, title) in enumerate(
            [("breakout", "Trioer"), ("breakout", "Nye trioer"), ("discussion", "Plenum")]
        ):
            phase = {"kind": kind, "title": title, "minutes": 30, "position": position}
            assert anne.call("agenda:add_phase", phase) == {"ok": True}
        anne.wait_for(lambda: len(anne.state["agenda"]["phases"]) >= 3)
        return [phase["id"] for phase in anne.state["agenda"]["phases"][:3]]

    def wait_all(self, condition: Any, clients: list[LiveClient] | None = None) -> None:
        for client in clients or list(self.people.values()):
            client.wait_for(lambda c=client: condition(c.state))

    def next_phase(self) -> None:
        anne = self.people["Anne"]
        # The segment now: the agenda's own event may still be on its way to Anne's state.
        segment = anne.call("session:sync")["snapshot"]["agenda"]["segment"]
        reply = anne.call("agenda:next", {"segment": segment})
        assert reply == {"ok": True}, reply

    def close(self) -> None:
        for client in self.opened:
            client.disconnect()


def round_in(state: dict[str, Any], phase_id: int) -> dict[str, Any] | None:
    return next((r for r in state["breakouts"]["rounds"] if r["phase_id"] == phase_id), None)


def status_is(phase_id: int, status: str) -> Any:
    def check(state: dict[str, Any]) -> bool:
        found = round_in(state, phase_id)
        return found is not None and found["status"] == status

    return check


def plan_ids(breakout: dict[str, Any]) -> dict[int, list[int]]:
    """{group number: member ids} of a round's plan."""
    return {g["number"]: [m["participant_id"] for m in g["members"]] for g in breakout["plan"]}


def pairs(breakout: dict[str, Any]) -> set[tuple[int, int]]:
    return {pair for ids in plan_ids(breakout).values() for pair in combinations(sorted(ids), 2)}


def seats_of(breakout: dict[str, Any]) -> dict[int, int]:
    return {pid: number for number, ids in plan_ids(breakout).items() for pid in ids}


def present(state: dict[str, Any], name: str) -> bool:
    return any(p["display_name"] == name and p["present"] for p in state["participants"])


def move_on_and_write(
    network: Network, phase_id: int, syntheses: dict[tuple[int, int], str]
) -> list[tuple[LiveClient, LiveClient]]:
    """In every group, its second member moves it on to the next step and its last
    writes the synthesis; every member sees both, nobody else anything of it."""
    anne = network.people["Anne"]
    groups = plan_ids(round_in(anne.state, phase_id))
    told = []  # (who acted, a member who saw it)
    for number, ids in groups.items():
        mover = network.people[network.name_of(ids[1])]
        mine = round_in(mover.state, phase_id)["my_group"]
        assert (mine["number"], mine["step_index"]) == (number, 0)
        step = {"phase_id": phase_id, "group": number, "segment": mine["segment"]}
        assert mover.call("breakout:next", step) == {"ok": True}
        text = f"Gruppe {number} i fase {phase_id}: vi lærte at spørge før vi svarer"
        writer = network.people[network.name_of(ids[-1])]
        assert writer.call("breakout:synthesis", {"phase_id": phase_id, "text": text}) == {
            "ok": True
        }
        syntheses[(phase_id, number)] = text
        for member in ids:
            client = network.people[network.name_of(member)]
            told.append((mover, client))
            client.wait_for(
                lambda c=client, t=text: round_in(c.state, phase_id)["my_group"]["synthesis"] == t
            )
            assert round_in(client.state, phase_id)["my_group"]["step_index"] == 1
    anne.wait_for(
        lambda: all(g["synthesis_sent"] for g in round_in(anne.state, phase_id)["groups"])
    )
    return told


def everything_received(client: LiveClient) -> list[Any]:
    """Every payload the connection was sent: snapshots, events and acks."""
    return [*client.snapshots, *(p for _, p in client.received), *(p for _, p in client.acks)]


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def isolation_faults(
    client: LiveClient, syntheses: dict[tuple[int, int], str], seats: dict[int, dict[int, int]]
) -> list[str]:
    """What this connection was sent of a group not its own before its phase ended.

    `syntheses`: (phase id, group number) → the text that group wrote; `seats`: phase
    id → {participant id: group number} as it was while the phase ran. A participant sees
    only their own group's inside; a host every group's progress but no synthesis text;
    a room display no group's inside. Every synthesis is public once its phase ended."""
    assert client.state is not None
    me = client.state["you"]["participant_id"]
    role = client.state["you"]["role"]
    faults = []
    for index, payload in enumerate(everything_received(client)):
        where = f"{role} {me}, payload {index}"
        rounds = [d for d in _walk(payload) if "plan" in d and "my_group" in d]
        inside = [d for d in _walk(payload) if "presenter_id" in d]
        own = [r["my_group"] for r in rounds if r["my_group"] is not None]
        hosts_view = [g for r in rounds for g in r["groups"]]
        if len(inside) != len(own) + len(hosts_view):
            faults.append(f"{where}: a group's inside outside the rounds")
        for breakout in rounds:
            mine = breakout["my_group"]
            if role != "participant" and mine is not None:
                faults.append(f"{where}: my_group for a {role}")
            if role in ("participant", "display") and (breakout["groups"] or breakout["conflicts"]):
                faults.append(f"{where}: every group's progress for a {role}")
            seat = seats.get(breakout["phase_id"], {}).get(me)
            if mine is not None and (me not in mine["members"] or mine["number"] != seat):
                faults.append(f"{where}: group {mine['number']} is not theirs")
            if breakout["status"] != "ended" and breakout["syntheses"]:
                faults.append(f"{where}: syntheses before the end")
        # A synthesis not their own's text: only in an ended round's `syntheses`.
        public = copy.deepcopy(payload)
        for breakout in (d for d in _walk(public) if "plan" in d and "my_group" in d):
            if breakout["status"] == "ended":
                breakout["syntheses"] = []
        sent = json.dumps(public, ensure_ascii=False)
        for (phase_id, number), text in syntheses.items():
            theirs = role == "participant" and seats.get(phase_id, {}).get(me) == number
            if not theirs and text in sent:
                faults.append(f"{where}: group {number}'s synthesis of phase {phase_id}")
    return faults


def version_faults(client: LiveClient) -> list[str]:
    """One connection's events after its snapshot must carry every next version, in
    order, with no gap: a gap would mean an event built for someone else was missed."""
    first = client.snapshots[0]["version"]
    versions = [p["version"] for _, p in client.received if p["version"] > first]
    expected = list(range(first + 1, first + 1 + len(versions)))
    faults = [] if versions == expected else [f"versions {versions} after {first}"]
    if client.gaps or len(client.snapshots) != 1:
        faults.append(f"{client.gaps} gaps, {len(client.snapshots)} snapshots")
    return faults


def breakout_versions(client: LiveClient, after: int) -> list[int]:
    return [
        p["version"] for n, p in client.received if n == "breakout:updated" and p["version"] > after
    ]
