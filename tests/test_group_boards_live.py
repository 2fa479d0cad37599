"""Breakout groups' own boards through a real server process and real python-socketio
clients: two trios and a pair, a threshold of three. Each trio writes and reveals its
own board; the pair has none and is told why. Every payload each connection received
(snapshots, events, acks) is then searched: nothing of a group's board reaches another
group or the room display, versions run on without a gap, and neither the database's
board tables nor the log hold anything that ties a post to its writer."""

from __future__ import annotations

import json
import secrets
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.board_support import BOARD_COLUMNS
from tests.breakout_support import Network, everything_received, plan_ids, version_faults
from tests.live_client import LiveClient
from tests.log_audit import full_log, identifiers, spellings
from tests.replay_support import state_differences

pytestmark = pytest.mark.server

PEOPLE = [
    ("Bo", "Aarhus Kommune"),
    ("Cai", "Region Syd"),
    ("Dea", "Novo Nordisk"),
    ("Emil", "Vestas"),
    ("Frej", "Aarhus Kommune"),
    ("Gry", "Region Syd"),
    ("Hans", "Novo Nordisk"),
    ("Ida", "Vestas"),
]


def board_rows(url: str) -> dict[str, list[dict[str, Any]]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        names = [t for t in inspect(connection).get_table_names() if t.startswith("board")]
        rows = {
            t: [dict(r._mapping) for r in connection.execute(text(f"SELECT * FROM {t}"))]
            for t in names
        }
    engine.dispose()
    return rows


def group_entry(client: LiveClient, number: int) -> dict[str, Any] | None:
    boards = (client.state or {}).get("group_boards") or {"boards": []}
    return next((b for b in boards["boards"] if b["group"] == number), None)


def replayed_as_fresh(network: Network) -> None:
    """Snapshot + events = a fresh snapshot, on each connection, for its own view."""
    for client in network.people.values():
        fresh = client.call("session:sync")["snapshot"]
        assert state_differences(client.state, fresh, 120) == [], client.state["you"]


def test_each_group_writes_and_reveals_its_own_board_and_nobody_else_sees_it(server, database_url):
    network = Network([server.url])
    network.create()
    for name, organisation in PEOPLE:
        network.add(name, organisation)
    for name in network.tokens:
        network.connect(name)
    anne, screen = network.people["Anne"], network.people["screen"]
    phase = {"kind": "breakout", "title": "Trioer", "minutes": 30, "position": 0}
    assert anne.call("agenda:add_phase", phase) == {"ok": True}
    plenary = {"kind": "discussion", "title": "Plenum", "minutes": 10, "position": 1}
    assert anne.call("agenda:add_phase", plenary) == {"ok": True}
    anne.wait_for(lambda: len(anne.state["agenda"]["phases"]) >= 3)
    phase_id = anne.state["agenda"]["phases"][0]["id"]
    settings = {"phase_id": phase_id, "board_groups": True, "board_threshold": 3}
    assert anne.call("agenda:update_phase", settings) == {"ok": True}
    assert anne.call("breakout:plan", {"phase_id": phase_id, "size": 4}) == {"ok": True}
    anne.wait_for(lambda: anne.state["breakouts"]["rounds"])
    # Two groups of four: one of each goes to a third group, a pair.
    for ids in list(plan_ids(anne.state["breakouts"]["rounds"][0]).values()):
        move = {"phase_id": phase_id, "participant_id": ids[-1], "group": 3}
        assert anne.call("breakout:move", move) == {"ok": True}
    assert anne.call("session:start") == {"ok": True}
    anne.wait_for(lambda: (anne.state.get("group_boards") or {}).get("boards"))
    groups = plan_ids(anne.state["breakouts"]["rounds"][0])
    screen.wait_for(lambda: screen.state.get("group_boards") is not None)
    assert screen.state["group_boards"]["boards"] == []  # the room display sees no group's
    assert sorted(map(len, groups.values())) == [2, 3, 3]
    names = {network.id_of(name): name for name in network.participants}
    members = {n: [names[pid] for pid in ids] for n, ids in groups.items()}
    trios = [n for n, ids in members.items() if len(ids) == 3]
    (pair,) = [n for n, ids in members.items() if len(ids) == 2]

    # The pair: no board, and why (the client shows the threshold).
    for name in members[pair]:
        client = network.people[name]
        client.wait_for(lambda c=client: c.state.get("group_boards"))
        assert client.state["group_boards"]["boards"] == [{"group": pair, "board": None}]
        assert client.state["group_boards"]["threshold"] == 3
        post = {"prompt": 0, "text": "Vi to", "secret": secrets.token_urlsafe(32)}
        refused = client.call("board:post", post)
        assert refused["error"]["code"] == "group_too_small"
        assert "3" in refused["error"]["message"]

    # Each trio writes and reveals its own board.
    written: dict[int, list[str]] = {}
    sent_secrets = []
    for number in trios:
        written[number] = []
        for name in members[number]:
            words = f"Gruppe {number} tvivler på noget {secrets.token_hex(4)}"
            secret = secrets.token_urlsafe(32)
            post = {"prompt": 0, "text": words, "secret": secret}
            assert network.people[name].call("board:post", post)["ok"]
            written[number].append(words)
            sent_secrets.append(secret)
        revealer = network.people[members[number][0]]
        assert revealer.call("board:reveal") == {"ok": True}
    post_ids: dict[int, set[str]] = {}
    for number in trios:
        for client in [anne, *(network.people[n] for n in members[number])]:
            client.wait_for(
                lambda c=client, n=number: (
                    len((group_entry(c, n) or {"board": {"posts": []}})["board"]["posts"]) == 3
                )
            )
        board = group_entry(network.people[members[number][1]], number)["board"]
        assert sorted(p["text"] for p in board["posts"]) == sorted(written[number])
        assert all(p["author_id"] is None for p in board["posts"])
        post_ids[number] = {p["id"] for p in board["posts"]}
        reactor = network.people[members[number][2]]
        first = board["posts"][0]["id"]
        assert reactor.call("board:react", {"post_id": first, "kind": "me_too"})["ok"]
        assert reactor.call("board:vote", {"target_id": first, "vote": True})["ok"]
        anne.wait_for(lambda n=number, f=first: group_entry(anne, n)["board"]["posts"][0]["votes"])
    # A member cannot touch another group's posts.
    outsider = network.people[members[trios[1]][0]]
    foreign = sorted(post_ids[trios[0]])[0]
    refused = outsider.call("board:react", {"post_id": foreign, "kind": "thanks"})
    assert refused["error"]["code"] == "post_not_found"
    while_open = board_rows(database_url)
    replayed_as_fresh(network)

    network.next_phase()  # back to the plenary: every group board closes
    for client in network.people.values():
        client.wait_for(lambda c=client: c.state.get("group_boards") is None)
    after = board_rows(database_url)
    replayed_as_fresh(network)
    participants = network.participants
    personal = {
        name: identifiers(name, network.tokens[name], network.people[name].sid)
        for name in participants
    }
    network.close()
    log = full_log(server)

    # Isolation: a group's words and post ids reach its members and the hosts only.
    for name, client in network.people.items():
        role = client.state["you"]["role"]
        own = next((n for n, ids in members.items() if name in ids), None)
        sent = json.dumps(everything_received(client), ensure_ascii=False)
        for number in trios:
            if role in ("facilitator", "cofacilitator") or own == number:
                assert all(words in sent for words in written[number]), (name, number)
                continue
            for needle in [*written[number], *post_ids[number]]:
                assert needle not in sent, (name, number, needle)
        assert version_faults(client) == [], name

    # The database: reviewed columns only, no author rows, no identifier anywhere.
    every_identifier = set().union(*personal.values())
    for dumped in (while_open, after):
        for table, rows in dumped.items():
            assert table in BOARD_COLUMNS, table
            for row in rows:
                assert set(row) == BOARD_COLUMNS[table], table
                for value in map(str, row.values()):
                    assert not any(len(i) > 3 and i in value for i in every_identifier), table
        assert dumped["board_post_authors"] == []
    assert {b["group_number"] for b in after["boards"]} == set(trios)
    assert all(b["salt"] is None for b in after["boards"])

    # The log: no post's words, id or secret.
    for needle in [*(w for ws in written.values() for w in ws), *sent_secrets]:
        assert not any(spelling in log for spelling in spellings(needle)), needle
    for needle in (i for ids in post_ids.values() for i in ids):
        assert needle not in log
