"""Socket.IO commands on the board. Thin: check the args, call one service, reply.

What only the author may know (their post's id and text) goes back in the ack, never
in an event. Nothing here logs a payload (see server.core.realtime).
"""

from __future__ import annotations

from typing import Any

from flask import request

from server.agenda import service as agenda
from server.board import counting, curation, phases, reactions, service, writing
from server.board.export import export_board
from server.board.schemas import (
    AddClusterArgs,
    ClusterArgs,
    DeletePostArgs,
    EditPostArgs,
    MovePostArgs,
    OpenBoardArgs,
    PostArgs,
    ReactArgs,
    RenameClusterArgs,
    VoteArgs,
    WritePostArgs,
)
from server.core import personal
from server.core.domain import HOSTS, PEOPLE
from server.core.errors import DomainError
from server.core.realtime import CommandContext, command
from server.presence.sweeper import on_sweep


def _writer(ctx: CommandContext) -> writing.Writer:
    key = personal.recall(request.environ)
    if key is None:  # not connected through on_connect on this process: cannot be
        raise DomainError("not_authenticated")
    return writing.Writer(ctx.actor, key, ctx.sid)


@command("board:open", roles=HOSTS, args=OpenBoardArgs())
def open_board(ctx: CommandContext, args: dict[str, Any]) -> None:
    prompts = [{"text": text} for text in args.pop("prompts")]
    ctx.publish(service.open_board(ctx.db, ctx.actor, prompts=prompts, now=ctx.now, **args))


@command("board:post", roles=PEOPLE, args=WritePostArgs())
def write_post(ctx: CommandContext, args: dict[str, Any]) -> dict[str, Any]:
    written = writing.write_post(ctx.db, _writer(ctx), now=ctx.now, **args)
    ctx.publish(written.events)
    return {"post": written.post, "posts_left": written.posts_left}


@command("board:edit", roles=PEOPLE, args=EditPostArgs())
def edit_post(ctx: CommandContext, args: dict[str, Any]) -> dict[str, Any]:
    written = writing.edit_post(ctx.db, _writer(ctx), now=ctx.now, **args)
    return {"post": written.post, "posts_left": written.posts_left}


@command("board:delete", roles=PEOPLE, args=DeletePostArgs())
def delete_post(ctx: CommandContext, args: dict[str, Any]) -> dict[str, Any]:
    written = writing.delete_post(ctx.db, _writer(ctx), now=ctx.now, **args)
    ctx.publish(written.events)
    return {"shown": written.post["shown"], "posts_left": written.posts_left}


@command("board:react", roles=PEOPLE, args=ReactArgs())
def react(ctx: CommandContext, args: dict[str, Any]) -> dict[str, Any]:
    ctx.publish(reactions.react(ctx.db, _writer(ctx), now=ctx.now, **args))
    return {"kind": args["kind"]}


@command("board:vote", roles=PEOPLE, args=VoteArgs())
def vote(ctx: CommandContext, args: dict[str, Any]) -> dict[str, Any]:
    voted = reactions.vote(ctx.db, _writer(ctx), now=ctx.now, **args)
    ctx.publish(voted.events)
    return {"votes_left": voted.votes_left}


@command("board:reveal", roles=HOSTS)
def reveal(ctx: CommandContext, args: dict[str, Any]) -> None:
    ctx.publish(service.reveal_board(ctx.db, ctx.actor, ctx.now))


@command("board:lock", roles=HOSTS)
def lock(ctx: CommandContext, args: dict[str, Any]) -> None:
    ctx.publish(service.lock_board(ctx.db, ctx.actor, ctx.now))


@command("board:unlock", roles=HOSTS)
def unlock(ctx: CommandContext, args: dict[str, Any]) -> None:
    ctx.publish(service.unlock_board(ctx.db, ctx.actor, ctx.now))


@command("board:close", roles=HOSTS)
def close(ctx: CommandContext, args: dict[str, Any]) -> None:
    ctx.publish(service.close_board(ctx.db, ctx.actor.session_id, ctx.now))


@command("board:hide", roles=HOSTS, args=PostArgs())
def hide(ctx: CommandContext, args: dict[str, Any]) -> None:
    ctx.publish(curation.hide_post(ctx.db, ctx.actor, now=ctx.now, **args))


@command("board:restore", roles=HOSTS, args=PostArgs())
def restore(ctx: CommandContext, args: dict[str, Any]) -> None:
    ctx.publish(curation.restore_post(ctx.db, ctx.actor, now=ctx.now, **args))


@command("board:add_cluster", roles=HOSTS, args=AddClusterArgs())
def add_cluster(ctx: CommandContext, args: dict[str, Any]) -> dict[str, Any]:
    events = curation.add_cluster(ctx.db, ctx.actor, now=ctx.now, **args)
    ctx.publish(events)
    return {"cluster_id": events[0].payload["cluster"]["id"]}


@command("board:rename_cluster", roles=HOSTS, args=RenameClusterArgs())
def rename_cluster(ctx: CommandContext, args: dict[str, Any]) -> None:
    ctx.publish(curation.rename_cluster(ctx.db, ctx.actor, now=ctx.now, **args))


@command("board:remove_cluster", roles=HOSTS, args=ClusterArgs())
def remove_cluster(ctx: CommandContext, args: dict[str, Any]) -> None:
    ctx.publish(curation.remove_cluster(ctx.db, ctx.actor, now=ctx.now, **args))


@command("board:move_post", roles=HOSTS, args=MovePostArgs())
def move_post(ctx: CommandContext, args: dict[str, Any]) -> None:
    ctx.publish(curation.move_post(ctx.db, ctx.actor, now=ctx.now, **args))


@command("board:export", roles=PEOPLE)
def export(ctx: CommandContext, args: dict[str, Any]) -> dict[str, Any]:
    return {"export": export_board(ctx.db, ctx.actor)}


# Due batches go out, and expired rate windows go, on the worker's one background loop;
# changed counts are told there too, once per window of the clock (counting.py).
on_sweep(service.sweep)
on_sweep(counting.tell_counts)


def install() -> None:
    """Board phases of the agenda open and close the board (idempotent)."""
    for hooks, hook in (
        (agenda.PHASE_STARTED_HOOKS, phases.on_phase_started),
        (agenda.PHASE_ENDED_HOOKS, phases.on_phase_ended),
    ):
        if hook not in hooks:
            hooks.append(hook)
