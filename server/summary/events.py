"""Socket.IO commands for an ended session's summary. Thin: check, call one service."""

from __future__ import annotations

from typing import Any

from server.core.domain import HOSTS, PEOPLE
from server.core.realtime import CommandContext, command
from server.core.runtime import current_runtime
from server.sessions.state import iso
from server.summary import service
from server.summary.schemas import ExportArgs, KeepArgs


@command("summary:get", roles=PEOPLE)
def get_summary(ctx: CommandContext, args: Any) -> dict[str, Any]:
    return {"summary": service.build_summary(ctx.db, ctx.actor)}


@command("summary:export", roles=PEOPLE, args=ExportArgs())
def export_summary(ctx: CommandContext, args: Any) -> dict[str, Any]:
    time_zone = current_runtime().settings.time_zone
    return service.export_summary(ctx.db, ctx.actor, args.format, time_zone)


@command("summary:keep", roles=HOSTS, args=KeepArgs())
def keep_summary(ctx: CommandContext, args: Any) -> dict[str, Any]:
    time_zone = current_runtime().settings.time_zone
    kept = service.keep_summary(ctx.db, ctx.actor, args.keep, ctx.now, time_zone)
    return {"kept_at": iso(kept)}
