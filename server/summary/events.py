"""Socket.IO commands for an ended session's summary. Thin: check, call one service."""

from __future__ import annotations

from typing import Any

from server.core.domain import PEOPLE
from server.core.realtime import CommandContext, command
from server.core.runtime import current_runtime
from server.summary import service
from server.summary.schemas import ExportArgs


@command("summary:get", roles=PEOPLE)
def get_summary(ctx: CommandContext, args: Any) -> dict[str, Any]:
    return {"summary": service.build_summary(ctx.db, ctx.actor)}


@command("summary:export", roles=PEOPLE, args=ExportArgs())
def export_summary(ctx: CommandContext, args: Any) -> dict[str, Any]:
    time_zone = current_runtime().settings.time_zone
    return service.export_summary(ctx.db, ctx.actor, args.format, time_zone)
