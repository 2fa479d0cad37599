"""What a join code or a token opens: read by joining, connecting and previewing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import BindParameter, Table, bindparam, select, union_all, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from server.core import tokens
from server.core.change import change_of
from server.core.domain import Role
from server.core.errors import DomainError
from server.sessions.models import Group, HostPass, Participant, PeerSession
from server.sessions.state import lock_by_join_code


@dataclass(frozen=True)
class Credential:
    """What a token opens: one session, in one role, maybe as one participant."""

    session: PeerSession
    role: Role
    participant: Participant | None
    login_id: int | None = None  # a facilitator account's signed-in browser


def find_by_join_code(db: Session, join_code: str, locked: bool = False) -> PeerSession:
    """`locked`: with the session's lock (sessions.state.lock), for a change."""
    code = tokens.normalize_join_code(join_code)
    if locked:
        session = lock_by_join_code(db, code)
    else:
        session = db.scalar(select(PeerSession).where(PeerSession.join_code == code))
    if session is None:
        raise DomainError("unknown_join_code")
    return session


# Built once, as every join asks (bench/join_cpu.py): only the token's digest changes.
_GUEST = (
    select(Participant, PeerSession, Group)
    .join(PeerSession, PeerSession.id == Participant.session_id)
    .join(Group, Group.id == PeerSession.group_id)
    .where(Participant.token_hash == bindparam("digest"))
)


# Plain tables, not the entities: a statement naming an entity's attribute is the ORM's,
# which would go looking for the rows it changed among the session's entities.
_sessions = cast(Table, PeerSession.__table__)
_people = cast(Table, Participant.__table__)
_passes = cast(Table, HostPass.__table__)
_DIGEST: BindParameter[str] = bindparam("digest")
# Whichever session a token opens: a guest's, a signed-in facilitator's pass, a display key.
_TOKEN_SESSION = union_all(
    select(_people.c.session_id).where(_people.c.token_hash == _DIGEST),
    select(_people.c.session_id)
    .join(_passes, _passes.c.participant_id == _people.c.id)
    .where(_passes.c.token_hash == _DIGEST),
    select(_sessions.c.id).where(_sessions.c.display_key_hash == _DIGEST),
)
# The lock as sessions.state.lock takes it (a no-op write), found by the token: built once.
_LOCKING = (
    update(_sessions)
    .where(_sessions.c.id.in_(_TOKEN_SESSION))
    .values(version=_sessions.c.version)
    .returning(_sessions.c.id, _sessions.c.version)
)


def lock_for_token(db: Session, token: str) -> None:
    """Take the lock of the session `token` opens, if any, before reading what it opens
    (`authenticate`): the session's lock comes first, as for every change, and the rows
    read after it are current, so none is read again once it is held (sessions.state.lock
    refreshes a session row read before it). A token that opens nothing locks nothing."""
    change = change_of(db)
    for session_id, version in db.execute(_LOCKING, {"digest": tokens.token_hash(token)}):
        change.took_lock(session_id, version)


def authenticate(
    db: Session, token: str, now: datetime | None = None, retention_days: float | None = None
) -> Credential:
    """The session, role and participant a token belongs to.

    A token is a guest's own, a signed-in facilitator's pass (sessions.hosts) or a room
    display's key. A removed participant's token is dead; so is every token of a session that ended
    more than `retention_days` before `now`. Someone not yet let in is `waiting`.
    """
    digest = tokens.token_hash(token)
    login_id = None
    # A guest's token: the person, their session and its group in one round trip (a join
    # needs all three, the snapshot the group's name).
    found = db.execute(_GUEST, {"digest": digest}).one_or_none()
    participant, session, group = found if found is not None else (None, None, None)
    if session is not None:
        # The session's many-to-one, told it is this group: the snapshot reads the group's
        # name without a round trip, or the lazy loader's search of the identity map.
        set_committed_value(session, "group", group)
    host_pass = db.get(HostPass, digest) if participant is None else None
    if host_pass is not None:
        login_id = host_pass.login_id
        participant = db.get_one(Participant, host_pass.participant_id)
    if participant is not None:
        if participant.removed_at is not None:
            raise DomainError("removed_from_session")
        session = session or db.get_one(PeerSession, participant.session_id)
        role = participant.role if participant.admitted_at is not None else Role.WAITING
        credential = Credential(session, role, participant, login_id)
    else:
        screen = db.scalar(select(PeerSession).where(PeerSession.display_key_hash == digest))
        if screen is None:
            raise DomainError("not_authenticated")
        credential = Credential(screen, Role.DISPLAY, None)
    # Kept like the group: under the session's lock (`lock_for_token`), sessions.state.lock
    # and the snapshot take this row as it is.
    change_of(db).keep(credential.session, credential.session.id, credential.session.id)
    ended = credential.session.ended_at
    if ended and now and retention_days is not None and now - ended > timedelta(retention_days):
        raise DomainError("not_authenticated")
    return credential
