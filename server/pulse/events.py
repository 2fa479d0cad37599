"""Socket.IO commands of the pulse. Thin: check the args, call one service, reply.

Answers go into counts and are never sent back to anyone, their sender included.
"""

from __future__ import annotations

from typing import Any

from flask import request

from server.core import personal
from server.core.domain import EVERYONE, PEOPLE
from server.core.realtime import CommandContext, command
from server.core.runtime import current_runtime
from server.pulse import service
from server.pulse.chart import trend_svg
from server.pulse.schemas import AnswerArgs


def _responder(ctx: CommandContext) -> service.Responder:
    secret = current_runtime().settings.secret_key
    return service.responder(ctx.db, ctx.actor, personal.recall(request.environ), secret)


@command("pulse:answer", roles=PEOPLE, args=AnswerArgs())
def answer(ctx: CommandContext, args: Any) -> dict[str, Any]:
    service.answer(ctx.db, _responder(ctx), args.answers, ctx.now)
    return {"answered": True}


@command("pulse:mine", roles=PEOPLE)
def mine(ctx: CommandContext, args: Any) -> dict[str, Any]:
    return {"answered": service.has_answered(ctx.db, _responder(ctx))}


@command("pulse:trend", roles=EVERYONE)
def trend(ctx: CommandContext, args: Any) -> dict[str, Any]:
    points = service.trend(ctx.db, ctx.actor.session_id)
    return {"points": service.trend_fields(points), "svg": trend_svg(points, ctx.actor.language)}
