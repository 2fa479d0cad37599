"""HTTP endpoints for sessions: create, plan, preview, join; a host's pass, hand-over, deletion."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from server.accounts import removal
from server.accounts.schemas import DeleteAccountArgs
from server.accounts.signed_in import clear_cookie, hasher, require_signed_in, settings
from server.core.errors import DomainError
from server.core.http import json_body
from server.core.limits import limited
from server.core.realtime import close_connections
from server.core.unit import unit_of_work
from server.core.validation import load_args
from server.sessions import devices, hosts, retention, service
from server.sessions.agreement import agreement_texts
from server.sessions.events import show_out
from server.sessions.models import PeerSession, Status
from server.sessions.schemas import (
    CreateSessionArgs,
    HandOverArgs,
    JoinArgs,
    MoveArgs,
    PlanSessionArgs,
)
from server.sessions.state import session_fields

bp = Blueprint("sessions", __name__, url_prefix="/api")
create_session_args = CreateSessionArgs()
join_args = JoinArgs()
hand_over_args = HandOverArgs()
plan_session_args = PlanSessionArgs()
move_args = MoveArgs()
delete_account_args = DeleteAccountArgs()


@bp.post("/sessions")
@limited("create")
def create_session() -> tuple[Response, int]:
    """A signed-in facilitator makes a session (in a new group or one of theirs); the
    answer carries this browser's pass to host it."""
    args = load_args(create_session_args, json_body())
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        created = service.create_session(
            unit.db,
            lead_account_id=who.account.id,
            title=args.title,
            language=args.language,
            format_key=args.format_key,
            facilitator_name=args.facilitator_name or who.account.display_name,
            organisation=args.organisation,
            group_name=args.group_name,
            group_id=args.group_id,
            admission=args.admission,
            network=args.network,
            now=unit.now,
            secret=settings().secret_key,
        )
        token, _ = hosts.host_pass(
            unit.db,
            login_id=who.login.id,
            account=who.account,
            session=created.session,
            secret=settings().secret_key,
            now=unit.now,
        )
    code = created.session.join_code
    body = {
        "ok": True,
        "join_code": code,
        "join_url": f"{request.host_url}j/{code}",
        "session_url": f"{request.host_url}s/{code}",
        "facilitator_token": token,
        "display_key": created.display_key,
        "group_id": created.session.group_id,
        "participant_id": created.facilitator.id,
    }
    return jsonify(body), 201


@bp.post("/groups/<int:group_id>/sessions")
@limited("create")
def plan_session(group_id: int) -> tuple[Response, int]:
    """The group's next session, from a format or from an earlier session's agenda."""
    args = load_args(plan_session_args, json_body())
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        hosts.require_facilitator(unit.db, who.account.id, group_id)
        agenda_from = None
        if args.agenda_from is not None:
            earlier = service.find_by_join_code(unit.db, args.agenda_from)
            agenda_from = earlier.id  # create_session refuses one of another group
        created = service.create_session(
            unit.db,
            lead_account_id=who.account.id,
            title=args.title,
            language=args.language,
            format_key=args.format_key,
            facilitator_name=who.account.display_name,
            organisation=None,
            group_id=group_id,
            admission=args.admission,
            planned_for=args.planned_for,
            agenda_from=agenda_from,
            network=args.network,
            secret=settings().secret_key,
            now=unit.now,
        )
        code = created.session.join_code
    return jsonify({"ok": True, "join_code": code}), 201


@bp.delete("/sessions/<join_code>")
def delete_session(join_code: str) -> Response:
    """A facilitator of its group deletes a session with everything in it; whoever is in
    it hears `session:deleted` and is shown out."""
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        session = _hosted_session(unit.db, who.account.id, join_code)
        sids = retention.delete_session(unit.db, session.id, unit.now)
        unit.change.after_commit.append(lambda: show_out(sids, "session:deleted"))
    return jsonify({"ok": True})


@bp.delete("/groups/<int:group_id>")
def delete_group(group_id: int) -> Response:
    """A facilitator deletes the group: every session, member and memory of it."""
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        hosts.require_facilitator(unit.db, who.account.id, group_id)
        sids = retention.delete_group(unit.db, group_id, unit.now)
        unit.change.after_commit.append(lambda: show_out(sids, "session:deleted"))
    return jsonify({"ok": True})


@bp.post("/account/delete")
@limited("sign_in")
def delete_account() -> Response:
    """The signed-in facilitator deletes their account, password asked again. Here, not in
    accounts, because the account's groups go first: those it facilitates alone are
    deleted with their sessions; in the others a co-facilitator takes over its sessions."""
    args = load_args(delete_account_args, json_body())
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        removal.check_password(unit.db, hasher(), who.account.id, args.password)
        shown_out = hosts.withdraw(unit.db, who.account.id, unit.now)
        closed = removal.delete_account(unit.db, who.account.id, unit.now)
        unit.change.after_commit.append(lambda: show_out(shown_out, "session:deleted"))
        unit.change.after_commit.append(lambda: close_connections(closed))
    response = jsonify({"ok": True})
    clear_cookie(response)
    return response


@bp.post("/sessions/<join_code>/pass")
def host_pass(join_code: str) -> Response:
    """This signed-in browser's pass to host a session of a group its account facilitates."""
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        session = _hosted_session(unit.db, who.account.id, join_code)
        token, person = hosts.host_pass(
            unit.db,
            login_id=who.login.id,
            account=who.account,
            session=session,
            secret=settings().secret_key,
            now=unit.now,
        )
        body = {"ok": True, "token": token, "participant_id": person.id, "role": person.role}
    return jsonify(body)


@bp.post("/sessions/<join_code>/lead")
def hand_over(join_code: str) -> Response:
    """The lead facilitator hands the session to another facilitator of the group."""
    args = load_args(hand_over_args, json_body())
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        session = _hosted_session(unit.db, who.account.id, join_code)
        hosts.hand_over(
            unit.db,
            account_id=who.account.id,
            session_id=session.id,
            to_account_id=args.account_id,
            now=unit.now,
        )
    return jsonify({"ok": True})


def _hosted_session(db: Any, account_id: int, join_code: str) -> PeerSession:
    """A session of one of this account's groups; any other is as unknown as a bad code."""
    session = service.find_by_join_code(db, join_code[:16])
    if not hosts.facilitates(db, account_id, session.group_id):
        raise DomainError("unknown_join_code")
    return session


@bp.get("/sessions/<join_code>")
@limited("join")
def preview_session(join_code: str) -> Response:
    """What the join page shows before someone gives their name: for a network session,
    also its confidentiality agreement in the session's language and the other."""
    with unit_of_work() as unit:
        session = service.find_by_join_code(unit.db, join_code[:16])
        if session.status is Status.ENDED:  # the same answer as a code never used
            raise DomainError("unknown_join_code")
        body: dict[str, Any] = {"ok": True, "session": session_fields(session)}
        if session.network:
            body["agreement"] = agreement_texts(session.language)
    return jsonify(body)


@bp.post("/move")
@limited("join")
def move_device() -> Response:
    """Another device trades a move code (participant:device_link) for its person's token:
    once, within minutes, and never for someone removed since."""
    args = load_args(move_args, json_body())
    with unit_of_work() as unit:
        moved = devices.take_move_code(unit.db, args.code, unit.now, settings().retention_days)
        person = moved.credential.participant
        assert person is not None  # a move code is only ever made for a participant
        body = {
            "ok": True,
            "token": moved.token,
            "participant_id": person.id,
            "join_code": moved.credential.session.join_code,
        }
    return jsonify(body)


@bp.post("/join")
@limited("join")
def join() -> tuple[Response, int]:
    args = load_args(join_args, json_body())
    with unit_of_work() as unit:
        joined = service.join_session(
            unit.db,
            join_code=args.join_code,
            display_name=args.display_name,
            organisation=args.organisation,
            language=args.language,
            member_key=args.member_key,
            agree=args.agree,
            now=unit.now,
        )
    body = {
        "ok": True,
        "token": joined.token,
        "participant_id": joined.participant.id,
        "join_code": joined.session.join_code,
    }
    return jsonify(body), 201
