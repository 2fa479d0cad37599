"""Facilitator accounts as hosts: groups they facilitate, the pass a signed-in browser
connects with, invitations to co-facilitate, and handing a session over.

Whoever facilitates a group hosts all its sessions: the session's lead account as the
facilitator, the group's other facilitators as co-facilitators. A pass is derived from
the login and the participant (an HMAC under the server's secret), so every tab of one
signed-in browser gets the same pass, and signing out ends it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.accounts.models import Account
from server.core import tokens
from server.core.domain import Event, Role
from server.core.errors import DomainError
from server.sessions import agreement, retention
from server.sessions.door import same_name
from server.sessions.models import (
    Group,
    GroupFacilitator,
    GroupInvitation,
    HostPass,
    Participant,
    PeerSession,
    Status,
)
from server.sessions.state import hold_group, lock, participant_updated

INVITATION_DAYS = 7


def facilitates(db: Session, account_id: int, group_id: int) -> bool:
    row = db.get(GroupFacilitator, (group_id, account_id))
    return row is not None


def require_facilitator(db: Session, account_id: int, group_id: int) -> Group:
    """The group, if this account facilitates it; otherwise as if it did not exist."""
    if not facilitates(db, account_id, group_id):
        raise DomainError("unknown_group")
    return db.get_one(Group, group_id)


def new_group(db: Session, account_id: int, name: str, now: datetime) -> Group:
    group = Group(name=name, created_at=now)
    db.add(group)
    db.flush()
    db.add(GroupFacilitator(group_id=group.id, account_id=account_id, added_at=now))
    return group


def groups_of(db: Session, account_id: int) -> list[Group]:
    return list(
        db.scalars(
            select(Group)
            .join(GroupFacilitator, GroupFacilitator.group_id == Group.id)
            .where(GroupFacilitator.account_id == account_id)
            .order_by(Group.created_at.desc(), Group.id.desc())
        )
    )


def facilitated_alone(db: Session, account_id: int) -> set[int]:
    """The groups this account facilitates that nobody else does (deleting the account
    deletes them: withdraw), in one query."""
    mine = select(GroupFacilitator.group_id).where(GroupFacilitator.account_id == account_id)
    counted = (
        select(GroupFacilitator.group_id)
        .where(GroupFacilitator.group_id.in_(mine))
        .group_by(GroupFacilitator.group_id)
        .having(func.count() == 1)
    )
    return set(db.scalars(counted))


def facilitators_of(db: Session, group_id: int) -> list[Account]:
    return list(
        db.scalars(
            select(Account)
            .join(GroupFacilitator, GroupFacilitator.account_id == Account.id)
            .where(GroupFacilitator.group_id == group_id)
            .order_by(GroupFacilitator.added_at, Account.id)
        )
    )


def host_pass(
    db: Session,
    *,
    login_id: int,
    account: Account,
    session: PeerSession,
    secret: str,
    now: datetime,
) -> tuple[str, Participant]:
    """The pass this signed-in browser connects to the session with, as its host."""
    require_facilitator(db, account.id, session.group_id)
    # Under the session's lock: many tabs at once make one host, and guests joining at
    # that moment see the name the host takes (door.py's rule).
    lock(db, session.id)
    person = db.scalar(
        select(Participant).where(
            Participant.session_id == session.id, Participant.account_id == account.id
        )
    )
    if person is None:  # a co-facilitating account's first visit
        person = Participant(
            session_id=session.id,
            role=_role_of(session, account.id),
            display_name=_free_name(db, session.id, account.display_name),
            language=account.language,
            token_hash=tokens.token_hash(tokens.new_token()),  # never handed out
            joined_at=now,
            admitted_at=now,
            account_id=account.id,
        )
        db.add(person)
        db.flush()
        if session.network:  # a co-host accepts the agreement by coming in to host
            agreement.count_acceptance(db, session.id)
    if person.removed_at is not None:
        raise DomainError("removed_from_session")
    token = tokens.derived_token(secret, f"host:{login_id}:{person.id}")
    digest = tokens.token_hash(token)
    if db.get(HostPass, digest) is None:
        db.add(HostPass(token_hash=digest, login_id=login_id, participant_id=person.id))
    return token, person


def _role_of(session: PeerSession, account_id: int) -> Role:
    return Role.FACILITATOR if session.lead_account_id == account_id else Role.COFACILITATOR


def _free_name(db: Session, session_id: int, name: str) -> str:
    """Names are unique in a session, by the door's rule: a guest may have taken this one."""
    names = db.scalars(select(Participant.display_name).where(Participant.session_id == session_id))
    taken = {same_name(name) for name in names}
    candidate, number = name, 2
    while same_name(candidate) in taken:
        candidate, number = f"{name} ({number})", number + 1
    return candidate


def hand_over(
    db: Session, *, account_id: int, session_id: int, to_account_id: int, now: datetime
) -> list[Event]:
    """The lead gives the session to another facilitator of the group; they swap roles,
    on every screen at once."""
    session = lock(db, session_id)
    if session.lead_account_id != account_id:
        raise DomainError("forbidden")
    if to_account_id == account_id or not facilitates(db, to_account_id, session.group_id):
        raise DomainError("unknown_account")
    session.lead_account_id = to_account_id
    events = []
    hosts = db.scalars(
        select(Participant).where(
            Participant.session_id == session.id,
            Participant.account_id.in_([account_id, to_account_id]),
        )
    )
    for person in hosts:
        person.role = _role_of(session, person.account_id or 0)
        events.append(participant_updated(db, session.id, person))
    return events


def invite(db: Session, *, account_id: int, group_id: int, now: datetime) -> str:
    """A one-time link (valid for a week) for another account to co-facilitate the group."""
    require_facilitator(db, account_id, group_id)
    token = tokens.new_token()
    db.add(
        GroupInvitation(
            token_hash=tokens.token_hash(token),
            group_id=group_id,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
    )
    return token


def accept_invitation(db: Session, *, account_id: int, token: str, now: datetime) -> Group:
    valid = (
        GroupInvitation.token_hash == tokens.token_hash(token),
        GroupInvitation.expires_at > now,
    )
    # The group held first, then the link: a deletion takes the group, then its links.
    group_id = db.scalar(select(GroupInvitation.group_id).where(*valid))
    group = hold_group(db, group_id) if group_id is not None else None
    if group is None:
        raise DomainError("unknown_invitation")
    # Used up in the statement that finds it: of many opening one link at once, one gets it.
    if db.scalar(delete(GroupInvitation).where(*valid).returning(GroupInvitation.group_id)) is None:
        raise DomainError("unknown_invitation")
    if not facilitates(db, account_id, group.id):
        try:
            with db.begin_nested():  # two links to one group, opened at once by one account
                db.add(GroupFacilitator(group_id=group.id, account_id=account_id, added_at=now))
        except IntegrityError:
            pass  # the other one made them a facilitator
    return group


def withdraw(db: Session, account_id: int, now: datetime) -> list[str]:
    """An account is about to be deleted: each group it facilitates alone goes, with every
    session and everything in it; in a group with other facilitators, the longest-standing
    of them takes over the sessions it led that have not ended. Returns the sids of the
    deleted sessions' connections, to be told `session:deleted`."""
    shown_out: list[str] = []
    alone = facilitated_alone(db, account_id)
    for group in groups_of(db, account_id):
        if group.id in alone:
            shown_out += retention.delete_group(db, group.id, now)
            continue
        others = [a.id for a in facilitators_of(db, group.id) if a.id != account_id]
        led = db.scalars(
            select(PeerSession.id).where(
                PeerSession.group_id == group.id,
                PeerSession.lead_account_id == account_id,
                PeerSession.status != Status.ENDED,
            )
        )
        for session_id in list(led):
            hand_over(
                db, account_id=account_id, session_id=session_id, to_account_id=others[0], now=now
            )
    return shown_out
