"""Socket.IO connect and disconnect, leaving, and a connection's language."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import request
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

from server.core import connection_bound, connections, personal
from server.core.domain import AT_THE_DOOR, EVERYONE, PEOPLE, Actor, Role
from server.core.errors import DATABASE_OUTAGE, DomainError
from server.core.i18n import DEFAULT_LANGUAGE, is_language
from server.core.realtime import (
    NAMESPACE,
    CommandContext,
    admit,
    close_connections,
    command,
    remember_language,
    room,
)
from server.core.runtime import current_runtime
from server.core.unit import unit_of_work
from server.core.validation import load_args
from server.presence import service
from server.sessions.credentials import authenticate, lock_for_token
from server.sessions.schemas import ConnectArgs, SetLanguageArgs
from server.sessions.state import lock
from server.sessions.view import snapshot

connect_args = ConnectArgs()


def install(socketio: SocketIO) -> None:
    socketio.on_event("connect", on_connect, namespace=NAMESPACE)
    socketio.on_event("disconnect", on_disconnect, namespace=NAMESPACE)


def on_connect(auth: Any = None) -> None:
    """Authenticate from the `auth` payload, record the connection, send a snapshot."""
    sid: str = request.sid  # type: ignore[attr-defined]
    runtime = current_runtime()
    # Attempts per address first: one over budget costs no database work.
    attempt = runtime.connect_limits.counted(connection_bound.request_address_tag())
    with _refused_on_error(auth), attempt, unit_of_work() as unit:
        args = load_args(connect_args, auth)
        admit(args.token)  # over the person's command budget: refused, no database work
        # The session's lock first, found by the token: what the token opens is then read
        # current, and who is here, read as they arrive, stays current for the arrival's
        # reactions and the snapshot (one read for all, core.connections).
        lock_for_token(unit.db, args.token)
        credential = authenticate(unit.db, args.token, unit.now, runtime.settings.retention_days)
        actor = _actor(credential, args.language)
        personal.remember(request.environ, args.token)  # never stored: core.personal
        remember_language(actor.language)
        worker = runtime.worker_id
        lock(unit.db, actor.session_id)  # held already: the row the credential read
        connections.connect(
            unit.db,
            sid=sid,
            worker_id=worker,
            actor=actor,
            now=unit.now,
            login_id=credential.login_id,
        )
        welcome = snapshot(unit.db, actor, unit.now)
        # Last, just before the commit: on PostgreSQL it locks the address, and joins
        # from one address (a room's Wi-Fi) wait for each other only that long.
        connection_bound.admit(unit.db, sid)  # at most so many per address
        unit.change.after_commit.append(lambda: _welcome(sid, actor, welcome))


@contextmanager
def _refused_on_error(auth: Any) -> Iterator[None]:
    """A domain error refuses the connection: the client's `connect_error` gets
    {"message": ..., "data": {"code", "params"}}, in the language it asked for."""
    try:
        try:
            yield
        except DATABASE_OUTAGE as outage:  # the client tries again, as after any refusal
            raise DomainError("database_unavailable") from outage
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
    if actor.role is not Role.WAITING:  # at the door, nothing said inside reaches them
        join_room(room(actor.session_id))
    key = personal.recall(request.environ)
    if key is not None and actor.role is not Role.DISPLAY:  # a person: their own room too
        join_room(personal.own_room(key))
    # This process holds the connection: nothing for the message queue to carry.
    socketio = current_runtime().socketio
    socketio.emit("session:snapshot", welcome, to=sid, namespace=NAMESPACE, ignore_queue=True)


def on_disconnect(reason: Any = None) -> None:
    """A connection closed by itself: its person stays present for the reconnect grace
    (core.connections.drop); its place for its address is free at once."""
    runtime = current_runtime()
    if runtime.drain.draining:
        return  # the row stays for the shutdown's grace: back elsewhere soon (core.shutdown)
    sid: str = request.sid  # type: ignore[attr-defined]
    with unit_of_work() as unit:
        grace = runtime.settings.reconnect_grace_seconds
        connections.drop(unit.db, sid, unit.now, grace_seconds=grace)
        connection_bound.free(unit.db, [sid])


@command("participant:leave", roles=PEOPLE | AT_THE_DOOR)
def leave(ctx: CommandContext, args: Any) -> None:
    """Leave on purpose: every tab of this person disconnects; the token still rejoins.

    This connection closes only once its ack has gone out (drop_after_ack)."""
    _, sids = service.leave(ctx.db, ctx.actor, ctx.now)
    others = [sid for sid in sids if sid != ctx.sid]
    ctx.change.after_commit.append(lambda: close_connections(others))
    ctx.change.after_commit.append(lambda: drop_after_ack(ctx.sid))


def drop_after_ack(sid: str) -> None:
    """Close the sender's own connection a moment after its command returns, so that the
    ack reaches it first."""
    socketio = current_runtime().socketio

    def later() -> None:
        socketio.sleep(0.2)
        socketio.server.disconnect(sid, namespace=NAMESPACE)

    socketio.start_background_task(later)


@command("client:set_language", roles=EVERYONE | AT_THE_DOOR, args=SetLanguageArgs())
def set_language(ctx: CommandContext, args: Any) -> None:
    """Errors and server-rendered text for this connection come in this language from now."""
    connections.set_language(ctx.db, ctx.sid, args.language)
