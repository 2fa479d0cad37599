"""Retention and deletion. What people wrote and did in a session goes `retention_days`
after it ended (the job runs on the sweeper's beat); a facilitator can delete a session,
or a whole group, with everything in it, at once.

The sessions feature tells the fact, every feature deletes its own rows (their
subscriptions), and this module deletes the session's own last. After the content
expired a session keeps its skeleton: its row, and its agenda's plan and timing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.core import connections
from server.core.bus import SessionContentExpired, SessionDeleted, tell
from server.core.domain import declare_events
from server.core.errors import DomainError
from server.sessions.models import DeviceMove, Group, Member, Participant, PeerSession
from server.sessions.state import lock, lock_group

# To each connection of a deleted session, without a version; then it is closed.
declare_events("session:deleted")


def expire_due_content(db: Session, now: datetime, retention_days: float) -> list[int]:
    """Delete the content of every session that ended more than `retention_days` before
    `now`, once each; returns their ids. Any number of processes may run it at once."""
    cutoff = now - timedelta(days=retention_days)
    due = db.scalars(
        select(PeerSession.id)
        .where(PeerSession.content_deleted_at.is_(None), PeerSession.ended_at < cutoff)
        .order_by(PeerSession.id)  # locks by ascending id (core.change)
    ).all()
    expired = []
    for session_id in due:
        session = lock(db, session_id)
        if session.content_deleted_at is not None:
            continue  # another process was first
        tell(db, SessionContentExpired(session_id), now)
        # Their tokens are already dead (credentials.authenticate); a tab still open is
        # closed by its process's sweeper once its row is gone.
        connections.forget_session(db, session_id)
        _delete_participants(db, session_id)
        session.content_deleted_at = now
        expired.append(session_id)
    return expired


def delete_session(db: Session, session_id: int, now: datetime) -> list[str]:
    """Delete a session and every row of it. Returns the sids of its live connections,
    for the socket layer to tell `session:deleted` and close after the commit."""
    try:
        lock(db, session_id)
    except LookupError:  # gone, perhaps deleted by another request while this one waited
        raise DomainError("unknown_join_code") from None
    sids = connections.forget_session(db, session_id)
    tell(db, SessionDeleted(session_id), now)
    _delete_participants(db, session_id)
    db.execute(delete(PeerSession).where(PeerSession.id == session_id))
    return sids


def delete_group(db: Session, group_id: int, now: datetime) -> list[str]:
    """Delete a group, every session of it and everything in them. Returns the sids to close."""
    if not lock_group(db, group_id):  # first: no session is made in it meanwhile
        raise DomainError("unknown_group")
    session_ids = db.scalars(
        select(PeerSession.id).where(PeerSession.group_id == group_id).order_by(PeerSession.id)
    ).all()
    sids = [sid for session_id in session_ids for sid in delete_session(db, session_id, now)]
    # Its facilitators, invitations and kept presentations go with it (ON DELETE CASCADE).
    db.execute(delete(Member).where(Member.group_id == group_id))
    db.execute(delete(Group).where(Group.id == group_id))
    return sids


def _delete_participants(db: Session, session_id: int) -> None:
    """Last of the rows that name people: the features deleted theirs that point here."""
    people = select(Participant.id).where(Participant.session_id == session_id)
    db.execute(delete(DeviceMove).where(DeviceMove.participant_id.in_(people)))
    db.execute(delete(Participant).where(Participant.session_id == session_id))
