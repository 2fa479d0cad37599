"""Socket.IO connect and disconnect, leaving, and a connection's language."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import request
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

from server.core import connections, personal
from server.core.domain import EVERYONE, PEOPLE, Actor
from server.core.errors import DomainError
from server.core.i18n import DEFAULT_LANGUAGE, is_language
from server.core.realtime import NAMESPACE, CommandContext, admit, command, room
from server.core.runtime import current_runtime
from server.core.unit import unit_of_work
from server.core.validation import load_args
from server.presence import service
from server.sessions.credentials import authenticate
from server.sessions.schemas import ConnectArgs, SetLanguageArgs
from server.sessions.view import snapshot

connect_args = ConnectArgs()


def install(socketio: SocketIO) -> None:
    socketio.on_event("connect", on_connect, namespace=NAMESPACE)
    socketio.on_event("disconnect", on_disconnect, namespace=NAMESPACE)


def on_connect(auth: Any = None) -> None:
    """Authenticate from the `auth` payload, record the connection, send a snapshot."""
    sid: str = request.sid  # type: ignore[attr-defined]
    with _refused_on_error(auth), unit_of_work() as unit:
        args = load_args(connect_args, auth)
        admit(args.token)  # over the person's command budget: refused, no database work
        actor = _actor(authenticate(unit.db, args.token), args.language)
        personal.remember(request.environ, args.token)  # never stored: core.personal
        worker = current_runtime().worker_id
        connections.connect(unit.db, sid=sid, worker_id=worker, actor=actor, now=unit.now)
        welcome = snapshot(unit.db, actor, unit.now)
        unit.change.after_commit.append(lambda: _welcome(sid, actor, welcome))


@contextmanager
def _refused_on_error(auth: Any) -> Iterator[None]:
    """A domain error refuses the connection: the client's `connect_error` gets
    {"message": ..., "data": {"code", "params"}}, in the language it asked for."""
    try:
        yield
    except DomainError as err:
        asked = auth.get("language") if isinstance(auth, dict) else None
        error = err.to_wire(str(asked) if is_language(asked) else DEFAULT_LANGUAGE)["error"]
        data = {"code": error["code"], "params": error["params"]}
        raise ConnectionRefusedError(error["message"], data) from err


def _actor(credential: Any, language: str | None) -> Actor:
    person = credential.participant
    language = language or (person.language if person else credential.session.language)
    participant_id = person.id if person else None
    return Actor(credential.session.id, credential.role, participant_id, language)


def _welcome(sid: str, actor: Actor, welcome: dict[str, Any]) -> None:
    join_room(room(actor.session_id))
    current_runtime().socketio.emit("session:snapshot", welcome, to=sid, namespace=NAMESPACE)


def on_disconnect(reason: Any = None) -> None:
    with unit_of_work() as unit:
        connections.disconnect(unit.db, request.sid, unit.now)  # type: ignore[attr-defined]


@command("participant:leave", roles=PEOPLE)
def leave(ctx: CommandContext, args: Any) -> None:
    """Leave on purpose: every tab of this person disconnects; the token still rejoins."""
    _, sids = service.leave(ctx.db, ctx.actor, ctx.now)
    server = current_runtime().socketio.server

    def drop_connections() -> None:
        for sid in sids:
            server.disconnect(sid, namespace=NAMESPACE)

    ctx.change.after_commit.append(drop_connections)


@command("client:set_language", roles=EVERYONE, args=SetLanguageArgs())
def set_language(ctx: CommandContext, args: Any) -> None:
    """Errors and server-rendered text for this connection come in this language from now."""
    connections.set_language(ctx.db, ctx.sid, args.language)
