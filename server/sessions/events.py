"""Socket.IO commands on a session as a whole."""

from __future__ import annotations

from typing import Any

from server.core.domain import EVERYONE, HOSTS
from server.core.realtime import CommandContext, command
from server.sessions import service


@command("session:sync", roles=EVERYONE)
def sync(ctx: CommandContext, args: dict[str, Any]) -> dict[str, Any]:
    return {"snapshot": service.snapshot(ctx.db, ctx.actor, ctx.now)}


@command("session:start", roles=HOSTS)
def start(ctx: CommandContext, args: dict[str, Any]) -> None:
    ctx.publish(service.start_session(ctx.db, ctx.actor, ctx.now))


@command("session:end", roles=HOSTS)
def end(ctx: CommandContext, args: dict[str, Any]) -> None:
    ctx.publish(service.end_session(ctx.db, ctx.actor, ctx.now))
