"""Helpers for agenda tests without sockets: a group of connected people, some plans."""

from __future__ import annotations

from server.agenda import service
from server.agenda.models import Advance, PhaseKind
from server.agenda.service import PhasePlan
from server.agenda.view import agenda_view
from server.core import connections
from server.sessions import service as sessions
from tests.factories import actor_of, create_session, join, set_agenda

WORKER = "worker-a"
DISCUSS = PhasePlan(kind=PhaseKind.DISCUSSION, planned_seconds=600, title="Open floor")
ROUND = PhasePlan(kind=PhaseKind.ROUND, planned_seconds=360, advance=Advance.AUTO, title="Check-in")
DILEMMA = PhasePlan(
    kind=PhaseKind.DILEMMA_ROUND,
    planned_seconds=1200,
    presenters=2,
    advance=Advance.AUTO,
    steps=[
        {"key": "present", "seconds": 300},
        {"key": "clarify", "seconds": 180},
        {"key": "reflect", "seconds": 480},
        {"key": "respond", "seconds": 240},
    ],
)
BREAKOUT = PhasePlan(kind=PhaseKind.BREAKOUT, planned_seconds=45 * 60, title="Trios")
CLOSING = PhasePlan(kind=PhaseKind.ROUND, planned_seconds=300, title="Closing round")


class Group:
    """A session with a facilitator and some participants, all connected."""

    def __init__(self, db, clock, plans, names=("Bo", "Cecilie", "Dan")):
        self.db, self.clock = db, clock
        created = create_session(db, clock)
        self.session_id = created.session.id
        self.code = created.session.join_code
        self.host_token = created.facilitator_token
        set_agenda(db, self.session_id, plans)
        self.host = self.connect(created.facilitator_token, "sid-host")
        self.people = {}
        for name in names:
            clock.advance(1)
            self.people[name] = self.arrive(name)

    def connect(self, token, sid):
        actor = actor_of(sessions.authenticate(self.db, token))
        connections.connect(self.db, sid=sid, worker_id=WORKER, actor=actor, now=self.clock.now())
        return actor

    def arrive(self, name, **extra):
        joined = join(self.db, self.clock, self.code, display_name=name, **extra)
        return self.connect(joined.token, f"sid-{name}")

    def start(self):
        return sessions.start_session(self.db, self.host, self.clock.now())

    def view(self):
        return agenda_view(self.db, self.session_id, self.clock.now())

    @property
    def segment(self):
        return self.view()["segment"]

    def speaker(self):
        view = self.view()
        turn = next((t for t in view["turns"] if t["id"] == view["current"]["turn_id"]), None)
        if turn is None:
            return None
        speaker_id = turn["participant_id"]
        return next(n for n, a in self.people_and_host() if a.participant_id == speaker_id)

    def people_and_host(self):
        return [("Anne", self.host), *self.people.items()]

    def order(self):
        ids = {a.participant_id: n for n, a in self.people_and_host()}
        return [ids[t["participant_id"]] for t in self.view()["turns"] if not t["left_out"]]

    def next(self):
        return service.next_segment(self.db, self.host, self.segment, self.clock.now())

    def sweep(self):
        return service.settle_due(self.db, self.session_id, self.clock.now())
