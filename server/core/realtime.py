"""The Socket.IO side: one registry of commands with their roles, and running them.

Every command is first counted against its sender's budget (core.throttle), before any
database work; one over budget is answered `rate_limited` and costs nothing more. A
command within budget gets a checked actor and checked arguments inside a unit of
work (core.unit); the events its change collects go out only after the commit. Every
answer, refusals included, is counted (core.metrics) and logged as one line with its
outcome, duration and request id (core.logs).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import request
from flask_socketio import SocketIO
from marshmallow import Schema
from socketio.packet import Packet
from sqlalchemy.orm import Session

from server.core import logs, personal
from server.core.change import Change
from server.core.connections import actor_for_sid, lock_for_sid
from server.core.domain import Actor, Role
from server.core.errors import DATABASE_OUTAGE, DomainError, error_body
from server.core.i18n import DEFAULT_LANGUAGE
from server.core.runtime import current_runtime
from server.core.throttle import Verdict
from server.core.unit import NAMESPACE, room, unit_of_work
from server.core.validation import NoArgs, load_args

__all__ = [
    "NAMESPACE",
    "Command",
    "CommandContext",
    "admit",
    "command",
    "install",
    "remember_language",
    "room",
]
log = logging.getLogger(__name__)


class JsonPacket(Packet):  # type: ignore[misc]
    """Socket.IO packets as this server sends them: JSON, never binary attachments. The
    default Packet walks every payload looking for bytes, once per packet (the whole of a
    join's snapshot, every event's fan-out); nothing here sends bytes, and a payload that
    held some would fail to encode, not go out otherwise."""

    uses_binary_events = False


@dataclass
class CommandContext:
    db: Session
    actor: Actor
    now: datetime
    sid: str
    change: Change


Handler = Callable[[CommandContext, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Command:
    name: str
    roles: frozenset[Role]
    args: Schema
    handler: Handler
    # Costly to answer (a whole snapshot): also spends the smaller sync budget.
    expensive: bool = False
    # Changes its session, taking its lock first (sessions.state.lock_row): who sends is
    # found in the same round trip as the lock (core.connections.lock_for_sid). Never on
    # a command that only reads: it would queue behind, and hold up, the session's changes.
    locks: bool = False


COMMANDS: dict[str, Command] = {}
# The connection's language as its last command found it: for answers given before
# (or instead of) reading the connection's row. Lives in the WSGI environ, like core.personal.
_LANGUAGE_KEY = "holdsport.language"
_TURN_KEY = "holdsport.command_turn"  # a lock: one command of a connection at a time
_DROPPED_KEY = "holdsport.dropped"  # closed for flooding: the seconds it was told


def command(  # type: ignore[no-untyped-def]
    name: str,
    *,
    roles: frozenset[Role],
    args: Schema | None = None,
    expensive: bool = False,
    locks: bool = False,
):
    """Declare a client command: the one place that says who may send it and what it takes."""

    def register(handler: Handler) -> Handler:
        if name in COMMANDS:
            raise ValueError(f"command {name} declared twice")
        COMMANDS[name] = Command(name, roles, args or NoArgs(), handler, expensive, locks)
        return handler

    return register


def install(socketio: SocketIO) -> None:
    for cmd in COMMANDS.values():
        socketio.on_event(cmd.name, _dispatcher(cmd), namespace=NAMESPACE)


def _dispatcher(cmd: Command) -> Callable[..., dict[str, Any]]:
    def dispatch(*payload: Any) -> dict[str, Any]:
        return run_command(cmd, request.sid, payload)  # type: ignore[attr-defined]

    dispatch.__name__ = f"on_{cmd.name.replace(':', '_')}"
    return dispatch


def run_command(cmd: Command, sid: str, payload: tuple[Any, ...]) -> dict[str, Any]:
    started = time.perf_counter()
    rid = logs.new_request_id()
    environ = request.environ
    refusal = _over_budget(cmd, sid, environ)
    if refusal is not None:
        reply = refusal.to_wire(environ.get(_LANGUAGE_KEY, DEFAULT_LANGUAGE))
    else:
        # A connection's commands run one at a time: a burst from one tab takes turns with
        # everyone else's commands instead of holding the server for its whole length.
        turn = environ.get(_TURN_KEY) or environ.setdefault(_TURN_KEY, threading.Lock())
        try:
            # A process shutting down finishes what it took and refuses what comes after.
            with current_runtime().drain.work(), turn:
                if (dropped := _dropped(environ)) is not None:  # while it waited its turn
                    raise dropped
                reply = _run(cmd, sid, payload, environ, rid)
        except DomainError as err:
            reply = err.to_wire(environ.get(_LANGUAGE_KEY, DEFAULT_LANGUAGE))
    _answered(cmd, reply, time.perf_counter() - started, rid)
    return reply


def _answered(cmd: Command, reply: dict[str, Any], seconds: float, rid: str) -> None:
    """Count and log an answer: the command's name and its outcome (`ok` or the error
    code), both from fixed tables; never its payload or who sent it."""
    outcome = "ok" if reply.get("ok") else str(reply["error"]["code"])
    metrics = current_runtime().metrics
    metrics.commands.labels(cmd.name, outcome).inc()
    metrics.command_seconds.labels(cmd.name).observe(seconds)
    ms = seconds * 1000
    log.info(
        "command %s %s %.1f ms rid=%s",
        cmd.name,
        outcome,
        ms,
        rid,
        extra=logs.fields(
            request_id=rid, command=cmd.name, outcome=outcome, duration_ms=round(ms, 1)
        ),
    )


def _run(
    cmd: Command, sid: str, payload: tuple[Any, ...], environ: dict[str, Any], rid: str
) -> dict[str, Any]:
    language = environ.get(_LANGUAGE_KEY, DEFAULT_LANGUAGE)
    try:
        with unit_of_work() as unit:
            actor = (lock_for_sid if cmd.locks else actor_for_sid)(unit.db, sid)
            if actor is None:
                raise DomainError("not_authenticated")
            language = environ[_LANGUAGE_KEY] = actor.language
            if actor.role not in cmd.roles:
                waiting = actor.role is Role.WAITING
                raise DomainError("waiting_at_the_door" if waiting else "forbidden")
            if len(payload) > 1:
                raise DomainError("invalid_payload", fields=["_schema"])
            args = load_args(cmd.args, payload[0] if payload else None)
            ctx = CommandContext(unit.db, actor, unit.now, sid, unit.change)
            reply = cmd.handler(ctx, args) or {}
    except DomainError as err:
        return err.to_wire(language)
    except DATABASE_OUTAGE:
        # Rolled back, or never begun: nothing of it was kept. (Only a connection lost
        # during the COMMIT itself leaves it unknown; a resync shows which.)
        log.warning(
            "command %s: the database is unavailable rid=%s",
            cmd.name,
            rid,
            extra=logs.fields(request_id=rid, command=cmd.name),
        )
        return error_body("database_unavailable", language)
    except Exception:
        # The payload is not logged: it may carry what someone wrote anonymously.
        log.exception(
            "command %s failed rid=%s",
            cmd.name,
            rid,
            extra=logs.fields(request_id=rid, command=cmd.name),
        )
        return error_body("internal_error", language)
    return {"ok": True, **reply}


def remember_language(language: str) -> None:
    """The language of the connection being opened: its answers before its first
    command reads its row (or when none can be read) are in it."""
    request.environ[_LANGUAGE_KEY] = language


def admit(token: str) -> None:
    """A new connection spends from its person's budget like `session:sync` (it gets a
    snapshot): a person over it, or dropped for flooding, is refused before any
    database work."""
    decision = current_runtime().throttle.admit(personal.derive(token))
    if decision.verdict is not Verdict.GO:
        raise DomainError("rate_limited", seconds=decision.seconds)


def _over_budget(cmd: Command, sid: str, environ: dict[str, Any]) -> DomainError | None:
    """Count the command against its person's budget; the refusal, if over it.

    A connection far over the budget is closed at once; what it had sent before is
    refused without counting, and nothing it sends after is read.
    """
    key = personal.recall(environ)
    if key is None:  # not connected through on_connect on this process: cannot be
        return DomainError("not_authenticated")
    if (dropped := _dropped(environ)) is not None:
        return dropped
    decision = current_runtime().throttle.spend(key, expensive=cmd.expensive)
    if decision.verdict is Verdict.GO:
        return None
    if decision.verdict is Verdict.DROP:
        environ[_DROPPED_KEY] = decision.seconds
        _drop(sid)
    return DomainError("rate_limited", seconds=decision.seconds)


def _dropped(environ: dict[str, Any]) -> DomainError | None:
    """The refusal of everything a connection closed for flooding still sends or queued."""
    seconds = environ.get(_DROPPED_KEY)
    return None if seconds is None else DomainError("rate_limited", seconds=seconds)


def close_connections(sids: list[str]) -> None:
    """Close these connections, on whichever process holds them (through the queue); the
    sweeper closes any a lost message missed, once their rows are gone."""
    server = current_runtime().socketio.server
    for sid in sids:
        server.disconnect(sid, namespace=NAMESPACE)


def _drop(sid: str) -> None:
    log.info("dropping a connection that keeps sending over its command budget")
    server = current_runtime().socketio.server
    transport = server.manager.eio_sid_from_sid(sid, NAMESPACE)
    # A Socket.IO disconnect first: socket.io-client does not reconnect by itself after it.
    server.disconnect(sid, namespace=NAMESPACE)
    if transport is not None:
        server.eio.disconnect(transport)  # and whatever it keeps sending is not read
