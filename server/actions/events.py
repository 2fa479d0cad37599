"""Socket.IO commands on actions. Thin: check the args, call one service, reply."""

from __future__ import annotations

from typing import Any

from server.actions import service
from server.actions.schemas import (
    ActionArgs,
    ActionIdArgs,
    EditActionArgs,
    FollowUpArgs,
    FromPostsArgs,
)
from server.core.domain import HOSTS, PEOPLE
from server.core.realtime import CommandContext, command


@command("action:add", roles=PEOPLE, args=ActionArgs())
def add(ctx: CommandContext, args: Any) -> None:
    service.add_action(ctx.db, ctx.actor, args, ctx.now)


@command("action:edit", roles=PEOPLE, args=EditActionArgs())
def edit(ctx: CommandContext, args: Any) -> None:
    service.edit_action(ctx.db, ctx.actor, args, ctx.now)


@command("action:delete", roles=HOSTS, args=ActionIdArgs())
def delete(ctx: CommandContext, args: Any) -> None:
    service.delete_action(ctx.db, ctx.actor, args.action_id, ctx.now)


@command("action:from_posts", roles=HOSTS, args=FromPostsArgs())
def from_posts(ctx: CommandContext, args: Any) -> dict[str, Any]:
    added, _ = service.actions_from_posts(ctx.db, ctx.actor, args.post_ids, args.level, ctx.now)
    return {"added": added}


@command("action:follow_up", roles=HOSTS, args=FollowUpArgs())
def follow_up(ctx: CommandContext, args: Any) -> None:
    service.follow_up(ctx.db, ctx.actor, args.action_id, args.outcome, ctx.now)
