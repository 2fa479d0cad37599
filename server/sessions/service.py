"""The life of a peer session: create, join, authenticate, start, end, snapshot.

Plain functions over a SQLAlchemy session. They check the rules, change rows and
return the events to publish; they never commit and never talk to sockets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core import tokens
from server.core.bus import SessionCreated, SessionEnded, SessionStarted, tell
from server.core.change import change_of
from server.core.domain import Actor, Event, Role, declare_events
from server.core.errors import DomainError
from server.sessions import agreement, door, hosts
from server.sessions.credentials import Credential, authenticate, find_by_join_code
from server.sessions.links import display_key
from server.sessions.members import recognise_member
from server.sessions.models import Admission, Group, Participant, PeerSession, Status
from server.sessions.state import emit, hold_group, lock, participant_updated, session_fields
from server.sessions.view import snapshot

__all__ = [
    "Credential",
    "authenticate",
    "create_session",
    "end_session",
    "find_by_join_code",
    "join_session",
    "set_location",
    "set_role",
    "snapshot",
    "start_session",
]

declare_events(
    "session:started",
    "session:ended",
    "session:updated",
    "participant:updated",
    "participant:admitted",
    "participant:removed",
    # To one connection only, without a version: let in; removed (then closed).
    "session:admitted",
    "session:removed",
)


@dataclass(frozen=True)
class CreatedSession:
    session: PeerSession
    facilitator: Participant
    display_key: str


@dataclass(frozen=True)
class Joined:
    session: PeerSession
    participant: Participant
    token: str


def create_session(
    db: Session,
    *,
    lead_account_id: int,
    title: str,
    language: str,
    format_key: str,
    facilitator_name: str,
    organisation: str | None,
    now: datetime,
    secret: str,
    group_name: str | None = None,
    group_id: int | None = None,
    admission: str = Admission.HOST.value,
    planned_for: datetime | None = None,
    agenda_from: int | None = None,
    network: bool = False,
) -> CreatedSession:
    """Make a session, in a new group or in one the account facilitates, led by it.

    `admission` says who lets people in: a host (`host`, the default) or the code alone.
    `planned_for` is when the facilitator means to hold it. The agenda comes from the
    format, or, with `agenda_from`, is a copy of that earlier session's agenda as it was
    planned (a session of the same group; its format is taken over too). The facilitator
    comes in with a login's pass (sessions.hosts), never a token.
    The room display's key is derived from `secret`, the app's (sessions.links).
    A `network` session (across organisations) asks everyone joining to accept its
    confidentiality agreement; making one counts as the lead's acceptance.
    """
    if group_id is not None:
        facilitated = hosts.facilitates(db, lead_account_id, group_id)
        held = hold_group(db, group_id) if facilitated else None
        if held is None:
            raise DomainError("unknown_group")
        group = held
    else:
        group = hosts.new_group(db, lead_account_id, group_name or title, now)
    if agenda_from is not None:
        format_key = _earlier_session_of(db, group, agenda_from).format_key
    session = PeerSession(
        group=group,
        title=title,
        language=language,
        format_key=format_key,
        join_code=_unused_join_code(db),
        display_key_hash=tokens.token_hash(tokens.new_token()),  # derived once the id is known
        status=Status.WAITING,
        admission=Admission(admission),
        version=1,
        created_at=now,
        lead_account_id=lead_account_id,
        planned_for=planned_for,
        network=network,
        agreements=1 if network else 0,
    )
    db.add(session)
    db.flush()
    screen_key = display_key(secret, session)
    session.display_key_hash = tokens.token_hash(screen_key)
    tell(db, SessionCreated(session.id, format_key, agenda_from), now)
    facilitator, _ = _add_participant(
        db,
        session,
        Role.FACILITATOR,
        facilitator_name,
        organisation,
        language,
        now,
        admitted_at=now,
        account_id=lead_account_id,
    )
    return CreatedSession(session, facilitator, screen_key)


def _earlier_session_of(db: Session, group: Group, session_id: int) -> PeerSession:
    """A session whose agenda the group may copy: one of its own."""
    earlier = db.get(PeerSession, session_id)
    if earlier is None or group.id is None or earlier.group_id != group.id:
        raise DomainError("agenda_from_other_group")
    return earlier


def _unused_join_code(db: Session) -> str:
    # 31^6 codes: a clash is rare, but a second try costs nothing.
    for _ in range(20):
        code = tokens.new_join_code()
        if db.scalar(select(PeerSession.id).where(PeerSession.join_code == code)) is None:
            return code
    raise RuntimeError("no free join code found")


def _add_participant(
    db: Session,
    session: PeerSession,
    role: Role,
    display_name: str,
    organisation: str | None,
    language: str,
    now: datetime,
    *,
    admitted_at: datetime | None = None,
    member_id: int | None = None,
    account_id: int | None = None,
) -> tuple[Participant, str]:
    """The new person with all they are known by, written in one INSERT."""
    token = tokens.new_token()
    participant = Participant(
        session_id=session.id,
        role=role,
        display_name=display_name,
        organisation=organisation or None,
        language=language,
        token_hash=tokens.token_hash(token),
        joined_at=now,
        admitted_at=admitted_at,
        member_id=member_id,
        account_id=account_id,
    )
    db.add(participant)
    db.flush()
    return participant, token


def join_session(
    db: Session,
    *,
    join_code: str,
    display_name: str,
    organisation: str | None,
    language: str,
    now: datetime,
    member_key: str | None = None,
    agree: bool = False,
) -> Joined:
    """A new participant, known to others once they connect (see presence). In a session
    where a host admits people, they wait at the door until one does (sessions.door).

    With the `member_key` their browser keeps, they are the group's member with that key
    (sessions.members); without one, they are nobody the group remembers.
    A network session lets in only those who `agree` to its confidentiality agreement
    (sessions.agreement), and counts them; any other session ignores `agree`.
    """
    # Locked first: two people asking for one name at once get it once (door.check_name_free).
    session = find_by_join_code(db, join_code, locked=True)
    if session.status is Status.ENDED:
        raise DomainError("session_ended")
    if session.network and not agree:
        raise DomainError("agreement_needed")
    door.check_name_free(db, session.id, display_name)
    member_id = None
    if member_key is not None:
        member_id = recognise_member(db, session.group_id, member_key, display_name, now)
    participant, token = _add_participant(
        db,
        session,
        Role.PARTICIPANT,
        display_name,
        organisation,
        language,
        now,
        admitted_at=now if session.admission is Admission.CODE else None,
        member_id=member_id,
    )
    if session.network:
        agreement.count_acceptance(db, session.id)
    return Joined(session, participant, token)


def start_session(db: Session, actor: Actor, now: datetime) -> list[Event]:
    """The session starts; the agenda (and whatever else reacts) starts with it."""
    mark = change_of(db).mark()
    session = lock(db, actor.session_id)
    if session.status is Status.RUNNING:
        raise DomainError("already_started")
    if session.status is Status.ENDED:
        raise DomainError("session_ended")
    session.status = Status.RUNNING
    session.started_at = now
    _status_event(db, "session:started", session)
    tell(db, SessionStarted(session.id), now)
    return change_of(db).since(mark)


def end_session(db: Session, actor: Actor, now: datetime) -> list[Event]:
    """The session ends; whatever runs in it (the agenda, a board) ends with it."""
    mark = change_of(db).mark()
    session = lock(db, actor.session_id)
    if session.status is Status.ENDED:
        raise DomainError("session_ended")
    session.status = Status.ENDED
    session.ended_at = now
    _status_event(db, "session:ended", session)
    tell(db, SessionEnded(session.id), now)
    return change_of(db).since(mark)


def set_location(db: Session, actor: Actor, location: str | None, now: datetime) -> list[Event]:
    """In the room or remote: shown to all, and used to alternate speakers fairly."""
    session = lock(db, actor.session_id)
    person = db.get_one(Participant, actor.participant_id)
    person.location = location
    return [participant_updated(db, session.id, person)]


def set_role(
    db: Session, actor: Actor, participant_id: int, role: Role, now: datetime
) -> list[Event]:
    """The facilitator makes someone co-facilitator (or takes it back)."""
    if actor.role is not Role.FACILITATOR:
        raise DomainError("forbidden")
    session = lock(db, actor.session_id)
    person = db.get(Participant, participant_id)
    if person is None or person.session_id != session.id:
        raise DomainError("unknown_participant")
    if person.role is Role.FACILITATOR or role not in (Role.COFACILITATOR, Role.PARTICIPANT):
        raise DomainError("forbidden")
    person.role = role
    return [participant_updated(db, session.id, person)]


def _status_event(db: Session, name: str, session: PeerSession) -> Event:
    return emit(db, name, session.id, session_fields(session))
