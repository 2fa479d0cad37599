"""HTTP endpoints for a facilitator's groups: the list, invitations to co-facilitate,
and a join link's QR code. Every one needs a signed-in facilitator of the group."""

from __future__ import annotations

from typing import Any

import segno
from flask import Blueprint, Response, jsonify, request

from server.accounts.signed_in import require_signed_in
from server.core.errors import DomainError
from server.core.http import json_body
from server.core.unit import unit_of_work
from server.core.validation import load_args
from server.sessions import hosts, service
from server.sessions.schemas import InvitationArgs

bp = Blueprint("groups", __name__, url_prefix="/api")
invitation_args = InvitationArgs()


@bp.get("/groups")
def my_groups() -> Response:
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        groups = [
            {"id": group.id, "name": group.name}
            for group in hosts.groups_of(unit.db, who.account.id)
        ]
    return jsonify({"ok": True, "groups": groups})


@bp.post("/groups/<int:group_id>/invitations")
def invite(group_id: int) -> tuple[Response, int]:
    """A link (valid a week, used once) that makes another account a facilitator."""
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        token = hosts.invite(unit.db, account_id=who.account.id, group_id=group_id, now=unit.now)
    return jsonify({"ok": True, "invite_url": f"{request.host_url}invite#{token}"}), 201


@bp.post("/invitations/accept")
def accept_invitation() -> Response:
    args = load_args(invitation_args, json_body())
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        group = hosts.accept_invitation(
            unit.db, account_id=who.account.id, token=args.token, now=unit.now
        )
        body: dict[str, Any] = {"ok": True, "group": {"id": group.id, "name": group.name}}
    return jsonify(body)


@bp.get("/sessions/<join_code>/qr.svg")
def join_qr_code(join_code: str) -> Response:
    """The join link as a QR code, for the facilitators of the session's group."""
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        session = service.find_by_join_code(unit.db, join_code[:16])
        if not hosts.facilitates(unit.db, who.account.id, session.group_id):
            raise DomainError("unknown_join_code")
        code = session.join_code
    qr = segno.make(f"{request.host_url}j/{code}", error="m")
    svg = qr.svg_inline(scale=8, border=2, dark="#000", light="#fff")
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})
