"""HTTP endpoints for creating, previewing and joining sessions."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from server.core.errors import DomainError
from server.core.http import json_body
from server.core.limits import limited
from server.core.runtime import current_runtime
from server.core.unit import unit_of_work
from server.core.validation import load_args
from server.sessions import service
from server.sessions.models import Status
from server.sessions.schemas import CreateSessionArgs, JoinArgs
from server.sessions.state import session_fields

bp = Blueprint("sessions", __name__, url_prefix="/api")
create_session_args = CreateSessionArgs()
join_args = JoinArgs()


@bp.post("/sessions")
@limited("create")
def create_session() -> tuple[Response, int]:
    """Anyone may create a session (no accounts); they get the facilitator credential."""
    args = load_args(create_session_args, json_body())
    with unit_of_work() as unit:
        created = service.create_session(
            unit.db,
            title=args.title,
            language=args.language,
            format_key=args.format_key,
            facilitator_name=args.facilitator_name,
            organisation=args.organisation,
            group_name=args.group_name,
            group_key=args.group_key,
            admission=args.admission,
            now=unit.now,
            secret=current_runtime().settings.secret_key,
        )
    body = {
        "ok": True,
        "join_code": created.session.join_code,
        "join_url": f"{request.host_url}j/{created.session.join_code}",
        "session_url": f"{request.host_url}s/{created.session.join_code}",
        "facilitator_token": created.facilitator_token,
        "display_key": created.display_key,
        "group_key": created.group_key,
        "participant_id": created.facilitator.id,
    }
    return jsonify(body), 201


@bp.get("/sessions/<join_code>")
@limited("join")
def preview_session(join_code: str) -> Response:
    """What the join page shows before someone gives their name."""
    with unit_of_work() as unit:
        session = service.find_by_join_code(unit.db, join_code[:16])
        if session.status is Status.ENDED:  # the same answer as a code never used
            raise DomainError("unknown_join_code")
        fields = session_fields(session)
    return jsonify({"ok": True, "session": fields})


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
            now=unit.now,
        )
    body = {
        "ok": True,
        "token": joined.token,
        "participant_id": joined.participant.id,
        "join_code": joined.session.join_code,
    }
    return jsonify(body), 201
