"""Socket.IO commands of the breakout phases. Thin: check the args, call one service."""

from __future__ import annotations

from typing import Any

from server.breakouts import service
from server.breakouts.schemas import BroadcastArgs, MoveArgs, NextStepArgs, PlanArgs, SynthesisArgs
from server.core.domain import HOSTS, PEOPLE
from server.core.realtime import CommandContext, command


@command("breakout:plan", roles=HOSTS, args=PlanArgs())
def make_plan(ctx: CommandContext, args: Any) -> None:
    service.make_plan(ctx.db, ctx.actor, args.phase_id, args.size, ctx.now)


@command("breakout:move", roles=HOSTS, args=MoveArgs())
def move(ctx: CommandContext, args: Any) -> None:
    service.move(ctx.db, ctx.actor, args.phase_id, args.participant_id, args.group, ctx.now)


@command("breakout:next", roles=PEOPLE, args=NextStepArgs())
def next_step(ctx: CommandContext, args: Any) -> None:
    service.next_step(ctx.db, ctx.actor, args.phase_id, args.group, args.segment, ctx.now)


@command("breakout:synthesis", roles=PEOPLE, args=SynthesisArgs())
def write_synthesis(ctx: CommandContext, args: Any) -> None:
    service.write_synthesis(ctx.db, ctx.actor, args.phase_id, args.text, ctx.now)


@command("breakout:broadcast", roles=HOSTS, args=BroadcastArgs())
def broadcast(ctx: CommandContext, args: Any) -> None:
    service.broadcast(ctx.db, ctx.actor, args.phase_id, args.text, ctx.now)
