"""Helpers for retention and deletion tests: sessions full of what people leave behind,
every table's rows, and which of them belong to one session."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

import server.app  # noqa: F401  (imports every feature: all models are in the metadata)
from server.actions import service as actions
from server.actions.schemas import ActionArgs
from server.actions.state import actions_part
from server.agenda import floor
from server.agenda import service as agenda
from server.agenda.view import agenda_view
from server.board import curation, reactions, service, writing
from server.board.writing import Writer
from server.breakouts import service as breakouts
from server.core import connections, personal
from server.core.connection_bound import ConnectionAddress
from server.core.db import Base
from server.core.domain import Actor, Role
from server.core.validation import load_args
from server.notebook import service as notebook
from server.pulse import service as pulse
from server.pulse.service import Responder
from server.sessions import devices
from server.sessions import service as sessions
from server.summary import service as summary
from tests.agenda_support import BREAKOUT, DISCUSS, ROUND, WORKER
from tests.board_support import new_secret
from tests.factories import SECRET, actor_of, create_session, join, set_agenda

# Rows of no one session: groups, processes, and board rate windows, whose keys trace
# back to nobody (they expire within a window: server/board/rate.py).
# Facilitators' accounts and logins, and what a group keeps of its sessions (members,
# who presented), are the group's: deleting the group deletes them, not a session.
SHARED_TABLES = {
    "groups",
    "workers",
    "board_rate_windows",
    "alembic_version",
    "accounts",
    "logins",
    "group_facilitators",
    "group_invitations",
    "members",
    "presentations",
}
ON_THE_BOARD = "board_id IN (SELECT id FROM boards WHERE session_id = :s)"
ON_THE_PULSE = "pulse_id IN (SELECT id FROM pulses WHERE session_id = :s)"
ON_THE_AGENDA = "phase_id IN (SELECT id FROM phases WHERE session_id = :s)"
# Which rows of each table belong to session :s.
OWNED_BY_SESSION = {
    "peer_sessions": "id = :s",
    "participants": "session_id = :s",
    "connections": "session_id = :s",
    "host_passes": "participant_id IN (SELECT id FROM participants WHERE session_id = :s)",
    "device_moves": "participant_id IN (SELECT id FROM participants WHERE session_id = :s)",
    "connection_addresses": "sid IN (SELECT sid FROM connections WHERE session_id = :s)",
    "phases": "session_id = :s",
    "agenda_clocks": "session_id = :s",
    "agenda_history": "session_id = :s",
    "turns": ON_THE_AGENDA,
    "hands": ON_THE_AGENDA,
    "ready_marks": ON_THE_AGENDA,
    "boards": "session_id = :s",
    "board_posts": ON_THE_BOARD,
    "board_clusters": ON_THE_BOARD,
    "board_votes": ON_THE_BOARD,
    "board_reactions": f"post_id IN (SELECT id FROM board_posts WHERE {ON_THE_BOARD})",
    "board_post_authors": f"post_id IN (SELECT id FROM board_posts WHERE {ON_THE_BOARD})",
    "notebook_entries": "session_id = :s",
    # Actions recorded in it (the group's: server/actions/retention.py), and the
    # follow-ups of actions carried into it.
    "actions": "session_id = :s",
    "action_follow_ups": "session_id = :s",
    "pulses": "session_id = :s",
    "pulse_counts": ON_THE_PULSE,
    "pulse_tags": ON_THE_PULSE,
    "breakout_rounds": "session_id = :s",
    "breakout_groups": ON_THE_AGENDA,
    "breakout_seats": ON_THE_AGENDA,
    "kept_summaries": "session_id = :s",
}
# What a session keeps once its content expired: its row, its agenda's plan and timing,
# the actions recorded in it that are still open (the group still works on them), and its
# pulses' counts (anonymous, shown only from k answers: the group's trend).
SKELETON = {
    "peer_sessions",
    "phases",
    "agenda_clocks",
    "agenda_history",
    "actions",
    "pulses",
    "pulse_counts",
    "kept_summaries",
}
Dump = dict[str, set[tuple]]


def every_table(db: Session) -> set[str]:
    return set(inspect(db.connection()).get_table_names())


def dump(db: Session) -> Dump:
    """Every row of every table of the models (workers' heartbeats tick by themselves)."""
    tables = [t.name for t in Base.metadata.sorted_tables if t.name != "workers"]
    return {table: _rows(db, table, "1 = 1") for table in tables}


def rows_of_session(db: Session, session_id: int) -> Dump:
    return {table: _rows(db, table, where, session_id) for table, where in OWNED_BY_SESSION.items()}


def _rows(db: Session, table: str, where: str, session_id: int | None = None) -> set[tuple]:
    """Rows as hashable tuples, so that they compare as sets (JSON, which PostgreSQL
    hands back as lists and dicts, as its text)."""
    db.flush()
    found = db.execute(text(f"SELECT * FROM {table} WHERE {where}"), {"s": session_id})
    return {tuple(_hashable(value) for value in row) for row in found}


def _hashable(value: object) -> object:
    return json.dumps(value, sort_keys=True) if isinstance(value, (list, dict)) else value


@dataclass(frozen=True)
class Lively:
    session_id: int
    group_id: int
    sids: list[str]


def lively_session(db, clock, name: str, group_id: int | None = None, host=None) -> Lively:  # type: ignore[no-untyped-def]
    """A running session with a row in every table a session owns: its people connected
    (and a room display), a round with turns, hands and a ready mark, a named board's
    posts with their authors, an open anonymous board, revealed, with reactions, votes
    and a cluster, everyone's private notes, an open pulse everyone answered, and a plan
    for a later breakout phase. Ending it closes the board and the pulse: the board's
    reactions and votes, and the pulse's tags, go then."""
    created = create_session(db, clock, host=host, title=name, group_id=group_id)
    session = created.session
    set_agenda(db, session.id, [ROUND, DISCUSS, BREAKOUT])
    host = _connect(db, clock, created.facilitator_token, f"{name}-host")
    db.add(ConnectionAddress(sid=f"{name}-host", address="0" * 64))
    _connect(db, clock, created.display_key, f"{name}-display")
    people = []
    for index in range(3):
        # Each a member of the group: their browser's key (sessions.members).
        key = f"member-key-of-person-{index}"
        joined = join(db, clock, session.join_code, display_name=f"Person {index}", member_key=key)
        sid = f"{name}-{index}"
        actor = _connect(db, clock, joined.token, sid)
        people.append(Writer(actor, personal.derive(joined.token), sid))
        if index == 0:  # about to move to another device (sessions.devices)
            devices.device_link(db, actor, joined.token, clock.now())
    now = clock.now()
    sessions.start_session(db, host, now)
    _follow_up(db, host, now)
    floor.raise_hand(db, people[0].actor, now)
    floor.raise_hand(db, people[1].actor, now)
    floor.set_ready(db, people[2].actor, True, now)
    owned = {"text": "Ask HR", "level": "group", "owner": "person", "owner_id": host.participant_id}
    actions.add_action(db, people[0].actor, load_args(ActionArgs(), owned), now)
    assert agenda_view(db, session.id, now)["turns"]
    for person in people:  # private notes, sealed
        mine = notebook.owner(db, person.actor, person.key, SECRET)
        notebook.write_note(db, mine, entry_id="note-0001", kind="free", text="Mine", now=now)

    prompts = [{"text": "What I would do differently"}]
    service.open_board(db, host, prompts=prompts, named=True, threshold=2, now=now)
    for person in people[:2]:
        writing.write_post(db, person, prompt=0, text="Named", secret=new_secret(), now=now)
    service.reveal_board(db, host, now)  # posts never shown go when the next board opens
    service.close_board(db, session.id, now)

    service.open_board(db, host, prompts=prompts, threshold=2, now=now)
    posts = [
        writing.write_post(db, p, prompt=0, text=f"A mistake {i}", secret=new_secret(), now=now)
        for i, p in enumerate(people)
    ]
    service.reveal_board(db, host, now)
    [added] = curation.add_cluster(db, host, name="Time", now=now)
    cluster_id = added.payload["cluster"]["id"]
    first = posts[0].post["id"]
    curation.move_post(db, host, post_id=first, cluster_id=cluster_id, now=now)
    reactions.react(db, people[1], post_id=first, kind="me_too", now=now)
    reactions.vote(db, people[2], target_id=first, vote=True, now=now)
    reactions.vote(db, people[2], target_id=cluster_id, vote=True, now=now)
    pulse.open_pulse(db, session.id, phase_id=None, k=4, now=now)
    answering = [Responder(p.actor, p.key) for p in people]
    answering.append(Responder(host, personal.derive(created.facilitator_token)))
    for who in answering:
        pulse.answer(db, who, [4, 5, 6, 3, 2, 7, 1], now)
    later = agenda_view(db, session.id, now)["phases"][-1]["id"]
    breakouts.make_plan(db, host, later, 3, now)  # who will sit with whom
    sids = [f"{name}-host", f"{name}-display", *(p.connection for p in people)]
    return Lively(session.id, session.group_id, sids)


def _follow_up(db, host: Actor, now) -> None:  # type: ignore[no-untyped-def]
    """A session of a group with open actions starts with their follow-up: each is
    continued (a row of this session), and the round begins."""
    carried = actions_part(db, host.session_id)["carried"]
    if carried:
        for action in carried:
            actions.follow_up(db, host, action["id"], "continue", now)
        agenda.next_segment(db, host, agenda_view(db, host.session_id, now)["segment"], now)


def end(db, clock, lively: Lively) -> None:  # type: ignore[no-untyped-def]
    """End the session, and keep its summary for the group (it outlives the content)."""
    host = Actor(lively.session_id, Role.FACILITATOR, None, "en")
    sessions.end_session(db, host, clock.now())
    summary.keep_summary(db, host, True, clock.now())


def _connect(db, clock, token: str, sid: str):  # type: ignore[no-untyped-def]
    actor = actor_of(sessions.authenticate(db, token))
    connections.connect(db, sid=sid, worker_id=WORKER, actor=actor, now=clock.now())
    return actor
