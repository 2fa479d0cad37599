"""Socket.IO commands on a session as a whole."""

from __future__ import annotations

from typing import Any

from server.core.domain import EVERYONE, HOSTS, PEOPLE, Role
from server.core.realtime import CommandContext, command
from server.sessions import service
from server.sessions.schemas import LocationArgs, RoleArgs


@command("session:sync", roles=EVERYONE, expensive=True)
def sync(ctx: CommandContext, args: Any) -> dict[str, Any]:
    return {"snapshot": service.snapshot(ctx.db, ctx.actor, ctx.now)}


@command("session:start", roles=HOSTS)
def start(ctx: CommandContext, args: Any) -> None:
    service.start_session(ctx.db, ctx.actor, ctx.now)


@command("session:end", roles=HOSTS)
def end(ctx: CommandContext, args: Any) -> None:
    service.end_session(ctx.db, ctx.actor, ctx.now)


@command("participant:set_location", roles=PEOPLE, args=LocationArgs())
def set_location(ctx: CommandContext, args: Any) -> None:
    service.set_location(ctx.db, ctx.actor, args.location, ctx.now)


@command("participant:set_role", roles=HOSTS, args=RoleArgs())
def set_role(ctx: CommandContext, args: Any) -> None:
    service.set_role(ctx.db, ctx.actor, args.participant_id, Role(args.role), ctx.now)
