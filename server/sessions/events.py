"""Socket.IO commands on a session as a whole."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_socketio import SocketIO, join_room

from server.core import qr
from server.core.domain import AT_THE_DOOR, EVERYONE, HOSTS, PEOPLE, Role
from server.core.realtime import NAMESPACE, CommandContext, command, room
from server.core.runtime import current_runtime
from server.sessions import devices, door, links, service
from server.sessions.models import PeerSession
from server.sessions.schemas import (
    AdmissionArgs,
    DeviceLinkArgs,
    LocationArgs,
    ParticipantArgs,
    RoleArgs,
    ShowJoinArgs,
)
from server.sessions.state import iso


@command("session:sync", roles=EVERYONE | AT_THE_DOOR, expensive=True)
def sync(ctx: CommandContext, args: Any) -> dict[str, Any]:
    """The whole state; someone inside is (again) in the session's room, should the
    message that brought them in have been lost with the message queue."""
    if ctx.actor.role is not Role.WAITING:
        ctx.change.after_commit.append(lambda: join_room(room(ctx.actor.session_id)))
    return {"snapshot": service.snapshot(ctx.db, ctx.actor, ctx.now)}


@command("session:start", roles=HOSTS)
def start(ctx: CommandContext, args: Any) -> None:
    service.start_session(ctx.db, ctx.actor, ctx.now)


@command("session:end", roles=HOSTS)
def end(ctx: CommandContext, args: Any) -> None:
    service.end_session(ctx.db, ctx.actor, ctx.now)


@command("session:links", roles=HOSTS)
def share_links(ctx: CommandContext, args: Any) -> dict[str, Any]:
    """The join link and the room display's link, for any host to share."""
    secret = current_runtime().settings.secret_key
    return links.share_links(ctx.db, ctx.actor, secret, request.host_url)


@command("participant:device_link", roles=PEOPLE, args=DeviceLinkArgs())
def device_link(ctx: CommandContext, args: Any) -> dict[str, Any]:
    """A link (and its QR code) that makes another device this same person, once, for
    a few minutes; the code travels only in the link's fragment."""
    move = devices.device_link(ctx.db, ctx.actor, args.token, ctx.now)
    session = ctx.db.get_one(PeerSession, ctx.actor.session_id)
    link = f"{request.host_url}s/{session.join_code}#move={move.code}"
    return {"link": link, "qr_svg": qr.svg(link), "expires_at": iso(move.expires_at)}


@command("session:join_link", roles=HOSTS | {Role.DISPLAY}, expensive=True)
def join_link(ctx: CommandContext, args: Any) -> dict[str, Any]:
    """The join link and its QR code, for the room's screen while people arrive."""
    return links.join_link(ctx.db, ctx.actor, request.host_url)


@command("session:show_join", roles=HOSTS, args=ShowJoinArgs())
def show_join(ctx: CommandContext, args: Any) -> None:
    door.show_join(ctx.db, ctx.actor, args.show, ctx.now)


@command("participant:set_location", roles=PEOPLE, args=LocationArgs())
def set_location(ctx: CommandContext, args: Any) -> None:
    service.set_location(ctx.db, ctx.actor, args.location, ctx.now)


@command("participant:set_role", roles=HOSTS, args=RoleArgs())
def set_role(ctx: CommandContext, args: Any) -> None:
    service.set_role(ctx.db, ctx.actor, args.participant_id, Role(args.role), ctx.now)


@command("participant:admit", roles=HOSTS, args=ParticipantArgs())
def admit(ctx: CommandContext, args: Any) -> None:
    sids = door.admit(ctx.db, ctx.actor, args.participant_id, ctx.now)
    ctx.change.after_commit.append(lambda: bring_inside(ctx.actor.session_id, sids))


@command("participant:admit_all", roles=HOSTS)
def admit_all(ctx: CommandContext, args: Any) -> None:
    sids = door.admit_all(ctx.db, ctx.actor, ctx.now)
    ctx.change.after_commit.append(lambda: bring_inside(ctx.actor.session_id, sids))


@command("session:set_admission", roles=HOSTS, args=AdmissionArgs())
def set_admission(ctx: CommandContext, args: Any) -> None:
    sids = door.set_admission(ctx.db, ctx.actor, args.admission, ctx.now)
    ctx.change.after_commit.append(lambda: bring_inside(ctx.actor.session_id, sids))


@command("participant:remove", roles=HOSTS, args=ParticipantArgs())
def remove(ctx: CommandContext, args: Any) -> None:
    sids = door.remove(ctx.db, ctx.actor, args.participant_id, ctx.now)
    ctx.change.after_commit.append(lambda: show_out(sids))


def bring_inside(session_id: int, sids: list[str]) -> None:
    """Connections let in join the session's room (on whichever process holds them, in
    queue order), then hear `session:admitted` and fetch the whole state."""
    socketio: SocketIO = current_runtime().socketio
    for sid in sids:
        socketio.server.enter_room(sid, room(session_id), namespace=NAMESPACE)
        socketio.emit("session:admitted", {}, to=sid, namespace=NAMESPACE)


def show_out(sids: list[str], notice: str = "session:removed") -> None:
    """Each connection hears why it goes, then closes: a removed person's hear
    `session:removed`, those of a deleted session (sessions.retention) `session:deleted`."""
    socketio: SocketIO = current_runtime().socketio
    for sid in sids:
        socketio.emit(notice, {}, to=sid, namespace=NAMESPACE)
        socketio.server.disconnect(sid, namespace=NAMESPACE)
