"""The Socket.IO side: one registry of commands with their roles, and running them.

A command handler gets a checked actor and checked arguments inside a unit of work
(core.unit); the events its change collects go out only after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import request
from flask_socketio import SocketIO
from marshmallow import Schema
from sqlalchemy.orm import Session

from server.core.change import Change
from server.core.connections import actor_for_sid
from server.core.domain import Actor, Role
from server.core.errors import DomainError, error_body
from server.core.i18n import DEFAULT_LANGUAGE
from server.core.unit import NAMESPACE, room, unit_of_work
from server.core.validation import NoArgs, load_args

__all__ = ["NAMESPACE", "Command", "CommandContext", "command", "install", "room"]
log = logging.getLogger(__name__)


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


COMMANDS: dict[str, Command] = {}


def command(name: str, *, roles: frozenset[Role], args: Schema | None = None):  # type: ignore[no-untyped-def]
    """Declare a client command: the one place that says who may send it and what it takes."""

    def register(handler: Handler) -> Handler:
        if name in COMMANDS:
            raise ValueError(f"command {name} declared twice")
        COMMANDS[name] = Command(name, roles, args or NoArgs(), handler)
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
    language = DEFAULT_LANGUAGE
    try:
        with unit_of_work() as unit:
            actor = actor_for_sid(unit.db, sid)
            if actor is None:
                raise DomainError("not_authenticated")
            language = actor.language
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
    except Exception:
        # The payload is not logged: it may carry what someone wrote anonymously.
        log.exception("command %s failed", cmd.name)
        return error_body("internal_error", language)
    return {"ok": True, **reply}
