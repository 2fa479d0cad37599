"""Socket.IO connect and disconnect, leaving, and a connection's language."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

from server.core import connection_bound, personal
from server.core.domain import EVERYONE, PEOPLE, Actor
from server.core.errors import DomainError
from server.core.i18n import DEFAULT_LANGUAGE
from server.core.realtime import NAMESPACE, CommandContext, command, publish, room
from server.core.runtime import current_runtime
from server.core.validation import load_args
from server.presence import service
from server.sessions import service as sessions
from server.sessions.schemas import ConnectArgs, SetLanguageArgs

connect_args = ConnectArgs()


def install(socketio: SocketIO) -> None:
    socketio.on_event("connect", on_connect, namespace=NAMESPACE)
    socketio.on_event("disconnect", on_disconnect, namespace=NAMESPACE)


def on_connect(auth: Any = None) -> None:
    """Authenticate from the `auth` payload, record the connection, send a snapshot."""
    runtime = current_runtime()
    sid: str = request.sid  # type: ignore[attr-defined]
    language = DEFAULT_LANGUAGE
    try:
        args = load_args(connect_args, auth)
        language = args["language"] or language
        with runtime.db.transaction() as db:
            credential = sessions.authenticate(db, args["token"])
            # Kept for this connection only, never stored: see server.core.personal.
            personal.remember(request.environ, args["token"])
            person = credential.participant
            language = args["language"] or (
                person.language if person else credential.session.language
            )
            actor = Actor(
                credential.session.id, credential.role, person.id if person else None, language
            )
            now = runtime.clock.now()
            events = service.connect(db, sid=sid, worker_id=runtime.worker_id, actor=actor, now=now)
            connection_bound.admit(db, sid)
            snapshot = sessions.snapshot(db, actor, now)
    except DomainError as err:
        # The client's `connect_error` gets {"message": ..., "data": {"code", "params"}}.
        error = err.to_wire(language)["error"]
        raise ConnectionRefusedError(
            error["message"], {"code": error["code"], "params": error["params"]}
        ) from err
    join_room(room(actor.session_id))
    runtime.socketio.emit("session:snapshot", snapshot, to=sid, namespace=NAMESPACE)
    publish(events)


def on_disconnect(reason: Any = None) -> None:
    runtime = current_runtime()
    with runtime.db.transaction() as db:
        events = service.disconnect(db, request.sid, runtime.clock.now())  # type: ignore[attr-defined]
    publish(events)


@command("participant:leave", roles=PEOPLE)
def leave(ctx: CommandContext, args: dict[str, Any]) -> None:
    """Leave on purpose: every tab of this person disconnects; the token still rejoins."""
    events, sids = service.leave(ctx.db, ctx.actor, ctx.now)
    ctx.publish(events)
    socketio = current_runtime().socketio

    def drop_connections() -> None:
        for sid in sids:
            socketio.server.disconnect(sid, namespace=NAMESPACE)

    ctx.after_commit.append(drop_connections)


@command("client:set_language", roles=EVERYONE, args=SetLanguageArgs())
def set_language(ctx: CommandContext, args: dict[str, Any]) -> None:
    """Errors and server-rendered text for this connection come in this language from now."""
    service.set_language(ctx.db, ctx.sid, args["language"])
