"""A whole session without sockets, for summary tests: every phase kind, two boards
(anonymous, then named), two dilemma presenters (one agrees to show their title), a
hidden post, a phase never reached; then the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from server.agenda import service as agenda
from server.agenda import titles
from server.agenda.models import Advance, PhaseKind
from server.agenda.service import PhasePlan
from server.agenda.view import agenda_view
from server.board import curation, service, writing
from server.board.writing import Writer
from server.core import connections, personal
from server.core.domain import Actor
from server.sessions import service as sessions
from tests.board_support import new_secret
from tests.factories import actor_of, create_session, join, set_agenda

WORKER = "worker-a"


def board_plan(title: str, named: bool) -> PhasePlan:
    return PhasePlan(
        kind=PhaseKind.BOARD,
        planned_seconds=600,
        title=title,
        board_prompts=[{"text": "What went well"}, {"text": "=What to try"}],
        board_settings={"mode": "reveal", "named": named, "threshold": 2},
    )


PLANS = [
    PhasePlan(kind=PhaseKind.ROUND, planned_seconds=300, title="Check-in"),
    PhasePlan(
        kind=PhaseKind.DILEMMA_ROUND,
        planned_seconds=600,
        presenters=2,
        advance=Advance.MANUAL,
        steps=[{"key": "present", "seconds": 180}, {"key": "respond", "seconds": 120}],
    ),
    PhasePlan(kind=PhaseKind.DISCUSSION, planned_seconds=600, title="Open floor"),
    board_plan("Quiet board", named=False),
    board_plan("Open board", named=True),
    PhasePlan(kind=PhaseKind.BREAK, planned_seconds=300, title="Coffee"),
]
SHARED_TITLE = "When my team stopped = talking"
PRIVATE_TITLE = "A secret merger"
ANONYMOUS_POSTS = ["We listen <b>well</b>", "Meetings run late", "+cmd|' /C calc'!A0"]
HIDDEN_POST = "Something rude"
NAMED_POST = "I will ask more questions"


@dataclass
class Ended:
    session_id: int
    host: Actor
    people: dict[str, Actor]
    display: Actor
    names: list[str]
    tokens: list[str]
    hidden_ids: list[str] = field(default_factory=list)


def run_full_session(db: Any, clock: Any) -> Ended:
    created = create_session(db, clock, title="Nordhavn = leaders")
    session_id = created.session.id
    set_agenda(db, session_id, PLANS)
    tokens = [created.facilitator_token]
    host = _connect(db, clock, created.facilitator_token, "sid-host")
    people: dict[str, Actor] = {}
    writers: dict[str, Writer] = {"Anne": Writer(host, personal.derive(tokens[0]), "sid-host")}
    for name, language in (("Bodil", "en"), ("Cecilie", "da"), ("Dorte", "en")):
        clock.advance(1)
        joined = join(db, clock, created.session.join_code, display_name=name, language=language)
        tokens.append(joined.token)
        people[name] = _connect(db, clock, joined.token, f"sid-{name}")
        writers[name] = Writer(people[name], personal.derive(joined.token), f"sid-{name}")
    display = actor_of(sessions.authenticate(db, created.display_key))
    by_id = {a.participant_id: a for a in [host, *people.values()]}
    sessions.start_session(db, host, clock.now())
    ended = Ended(session_id, host, people, display, ["Anne", *people], tokens)

    titled: list[int] = []
    while True:
        view = agenda_view(db, session_id, clock.now())
        phase = next((p for p in view["phases"] if p["id"] == view["current"]["phase_id"]), None)
        assert phase is not None and phase["kind"] != "break"
        turn_id = view["current"]["turn_id"]
        if phase["kind"] == "dilemma_round" and turn_id not in titled:
            presenter = next(t for t in view["turns"] if t["id"] == turn_id)["participant_id"]
            share = not titled  # the first presenter agrees, the second does not
            title = SHARED_TITLE if share else PRIVATE_TITLE
            titles.set_title(db, by_id[presenter], title, share)
            titled.append(turn_id)
        if phase["kind"] == "board":
            _fill_board(db, clock, host, writers, named=phase["title"] == "Open board", run=ended)
        clock.advance(200)
        if phase["title"] == "Open board":
            break  # the break is never reached: the session ends first
        agenda.next_segment(db, host, view["segment"], clock.now())
    clock.advance(30)
    sessions.end_session(db, host, clock.now())
    return ended


def _connect(db: Any, clock: Any, token: str, sid: str) -> Actor:
    actor = actor_of(sessions.authenticate(db, token))
    connections.connect(db, sid=sid, worker_id=WORKER, actor=actor, now=clock.now())
    return actor


def _post(db: Any, clock: Any, writer: Writer, text: str, prompt: int = 0) -> str:
    written = writing.write_post(
        db, writer, prompt=prompt, text=text, secret=new_secret(), now=clock.now()
    )
    return str(written.post["id"])


def _fill_board(db, clock, host, writers, named: bool, run: Ended) -> None:  # type: ignore[no-untyped-def]
    if named:
        _post(db, clock, writers["Bodil"], NAMED_POST)
        _post(db, clock, writers["Cecilie"], "Dette var godt", prompt=1)
        service.reveal_board(db, host, clock.now())
        return
    first, second, third = (
        _post(db, clock, writers[n], t)
        for n, t in zip(("Bodil", "Cecilie", "Dorte"), ANONYMOUS_POSTS, strict=True)
    )
    rude = _post(db, clock, writers["Anne"], HIDDEN_POST, prompt=1)
    service.reveal_board(db, host, clock.now())
    curation.hide_post(db, host, post_id=rude, now=clock.now())
    cluster = curation.add_cluster(db, host, name="Tid", now=clock.now())
    cluster_id = cluster[0].payload["cluster"]["id"]
    curation.move_post(db, host, post_id=second, cluster_id=cluster_id, now=clock.now())
    # Written after the reveal and never published: nobody saw it, so the summary neither.
    _post(db, clock, writers["Dorte"], "Never seen by anyone")
    run.hidden_ids.append(rude)
    del first, third
