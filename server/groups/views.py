"""HTTP endpoints for a facilitator's groups: the list, a group's page (its sessions
with their links, who presented, its facilitators), invitations to co-facilitate, and
a join link's QR code. Every one needs a signed-in facilitator of the group; to anyone
else a group is as unknown as one that does not exist."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import select

from server.accounts.signed_in import require_signed_in, settings
from server.actions.state import open_actions_of_group
from server.agenda.history import presenter_history
from server.core import qr
from server.core.errors import DomainError
from server.core.http import json_body
from server.core.unit import unit_of_work
from server.core.validation import load_args
from server.sessions import hosts
from server.sessions.credentials import find_by_join_code
from server.sessions.groups import group_sessions
from server.sessions.links import shareable
from server.sessions.models import PeerSession, Status
from server.sessions.schemas import InvitationArgs, SetLanguageArgs
from server.sessions.state import iso
from server.summary.models import KeptSummary

bp = Blueprint("groups", __name__, url_prefix="/api")
invitation_args = InvitationArgs()
language_args = SetLanguageArgs()
# Planned first (soonest first), then running, then ended (latest first).
SHOWN_ORDER = {Status.WAITING: 0, Status.RUNNING: 1, Status.ENDED: 2}


@bp.get("/groups")
def my_groups() -> Response:
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        alone = hosts.facilitated_alone(unit.db, who.account.id)
        groups = [
            {"id": group.id, "name": group.name, "only_facilitator": group.id in alone}
            for group in hosts.groups_of(unit.db, who.account.id)
        ]
    return jsonify({"ok": True, "groups": groups})


@bp.get("/groups/<int:group_id>")
def group_page(group_id: int) -> Response:
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        group = hosts.require_facilitator(unit.db, who.account.id, group_id)
        listed = group_sessions(unit.db, group_id)
        last = listed[-1] if listed else None
        rows = {s.id: unit.db.get_one(PeerSession, s.id) for s in listed}
        kept = set(
            unit.db.scalars(select(KeptSummary.session_id).where(KeptSummary.group_id == group_id))
        )
        sessions = [
            {
                "join_code": s.join_code,
                "title": s.title,
                "status": s.status,
                "format_key": s.format_key,
                "language": s.language,
                "created_at": iso(s.created_at),
                "planned_for": iso(s.planned_for),
                "network": s.network,
                "started_at": iso(s.started_at),
                "ended_at": iso(s.ended_at),
                "led_by_you": rows[s.id].lead_account_id == who.account.id,
                "summary_kept": s.id in kept,
                **shareable(rows[s.id], settings().secret_key, request.host_url),
            }
            for s in sorted(listed, key=_shown_order)
        ]
        body: dict[str, Any] = {
            "ok": True,
            "group": {"id": group.id, "name": group.name},
            "last_session": {"join_code": last.join_code, "title": last.title} if last else None,
            "sessions": sessions,
            "facilitators": [
                {"id": a.id, "display_name": a.display_name, "you": a.id == who.account.id}
                for a in hosts.facilitators_of(unit.db, group_id)
            ],
            "presenters": [
                {
                    "name": p.display_name,
                    "session_title": p.session_title,
                    "at": iso(p.presented_at),
                }
                for p in reversed(presenter_history(unit.db, group_id))
            ],
            "open_actions": open_actions_of_group(unit.db, group_id),
        }
    return jsonify(body)


def _shown_order(session: Any) -> tuple[int, float]:
    when = session.planned_for or session.started_at or session.created_at
    seconds = when.timestamp()
    return SHOWN_ORDER[session.status], seconds if session.status is Status.WAITING else -seconds


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
        session = find_by_join_code(unit.db, join_code[:16])
        if not hosts.facilitates(unit.db, who.account.id, session.group_id):
            raise DomainError("unknown_join_code")
        code = session.join_code
    image = qr.svg(f"{request.host_url}j/{code}")
    return Response(image, mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


@bp.get("/sessions/<join_code>/kept-summary")
def kept_summary(join_code: str) -> Response:
    """The summary the group kept of one of its sessions (`summary:keep`), as Markdown in
    the language asked for (`?language=da`), for the facilitators of the session's group."""
    args = load_args(language_args, dict(request.args))
    with unit_of_work() as unit:
        who = require_signed_in(unit.db, unit.now)
        session = find_by_join_code(unit.db, join_code[:16])
        if not hosts.facilitates(unit.db, who.account.id, session.group_id):
            raise DomainError("unknown_join_code")
        kept = unit.db.get(KeptSummary, (session.id, args.language))
        if kept is None:
            raise DomainError("not_found")
        body = {
            "ok": True,
            "title": kept.title,
            "language": kept.language,
            "kept_at": iso(kept.kept_at),
            "markdown": kept.markdown,
            "filename": f"holdsport-{session.join_code}-summary.md",
        }
    return jsonify(body)
