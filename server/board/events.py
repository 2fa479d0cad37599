"""Socket.IO commands on the board. Thin: check the args, call one service, reply.

What only the author may know (their post's id and text) goes back in the ack and, after
the commit, to their own other connections only (`board:own_*`: their other tab or
device, through a room named by their key, core.personal.own_room), never to the
session. Nothing here logs a payload (see server.core.realtime).
"""

from __future__ import annotations

from typing import Any

from flask import request

from server.board import curation, reactions, service, writing
from server.board.export import export_board
from server.board.mine import own_on_board
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
    RevealArgs,
    VoteArgs,
    WritePostArgs,
)
from server.core import personal
from server.core.domain import HOSTS, PEOPLE, declare_events
from server.core.errors import DomainError
from server.core.realtime import NAMESPACE, CommandContext, command
from server.core.runtime import current_runtime

OWN_SAVED, OWN_DELETED = "board:own_post_saved", "board:own_post_deleted"
declare_events(OWN_SAVED, OWN_DELETED)


def _writer(ctx: CommandContext) -> writing.Writer:
    key = personal.recall(request.environ)
    if key is None:  # not connected through on_connect on this process: cannot be
        raise DomainError("not_authenticated")
    return writing.Writer(ctx.actor, key, ctx.sid)


def _tell_my_other_devices(
    ctx: CommandContext, writer: writing.Writer, name: str, **fields: Any
) -> None:
    """After the commit, the author's other connections (same key) learn what their ack
    said; no version, as nobody else's state changes. Through the message queue: the
    other device may be on another process."""
    own = personal.own_room(writer.key)

    def send() -> None:
        socketio = current_runtime().socketio
        socketio.emit(name, fields, to=own, skip_sid=ctx.sid, namespace=NAMESPACE)

    ctx.change.after_commit.append(send)


def _saved(ctx: CommandContext, writer: writing.Writer, written: writing.Written) -> dict[str, Any]:
    reply = {"post": written.post, "posts_left": written.posts_left}
    _tell_my_other_devices(ctx, writer, OWN_SAVED, board_id=written.board_id, **reply)
    return reply


@command("board:open", roles=HOSTS, args=OpenBoardArgs(), locks=True)
def open_board(ctx: CommandContext, args: Any) -> None:
    prompts = [{"text": text} for text in args.prompts]
    service.open_board(
        ctx.db,
        ctx.actor,
        prompts=prompts,
        mode=args.mode,
        named=args.named,
        threshold=args.threshold,
        now=ctx.now,
    )


@command("board:post", roles=PEOPLE, args=WritePostArgs(), locks=True)
def write_post(ctx: CommandContext, args: Any) -> dict[str, Any]:
    writer = _writer(ctx)
    written = writing.write_post(
        ctx.db, writer, prompt=args.prompt, text=args.text, secret=args.secret, now=ctx.now
    )
    return _saved(ctx, writer, written)


@command("board:edit", roles=PEOPLE, args=EditPostArgs(), locks=True)
def edit_post(ctx: CommandContext, args: Any) -> dict[str, Any]:
    writer = _writer(ctx)
    written = writing.edit_post(
        ctx.db, writer, post_id=args.post_id, secret=args.secret, text=args.text, now=ctx.now
    )
    return _saved(ctx, writer, written)


@command("board:delete", roles=PEOPLE, args=DeletePostArgs(), locks=True)
def delete_post(ctx: CommandContext, args: Any) -> dict[str, Any]:
    writer = _writer(ctx)
    written = writing.delete_post(
        ctx.db, writer, post_id=args.post_id, secret=args.secret, now=ctx.now
    )
    reply = {"shown": written.post["shown"], "posts_left": written.posts_left}
    gone = {"board_id": written.board_id, "post_id": args.post_id, **reply}
    _tell_my_other_devices(ctx, writer, OWN_DELETED, **gone)
    return reply


@command("board:react", roles=PEOPLE, args=ReactArgs(), locks=True)
def react(ctx: CommandContext, args: Any) -> dict[str, Any]:
    reactions.react(ctx.db, _writer(ctx), post_id=args.post_id, kind=args.kind, now=ctx.now)
    return {"kind": args.kind}


@command("board:vote", roles=PEOPLE, args=VoteArgs(), locks=True)
def vote(ctx: CommandContext, args: Any) -> dict[str, Any]:
    voted = reactions.vote(
        ctx.db, _writer(ctx), target_id=args.target_id, vote=args.vote, now=ctx.now
    )
    return {"votes_left": voted.votes_left}


@command("board:reveal", roles=PEOPLE, args=RevealArgs(), locks=True)
def reveal(ctx: CommandContext, args: Any) -> None:
    service.reveal_board(ctx.db, ctx.actor, ctx.now, args.group)


@command("board:lock", roles=HOSTS, locks=True)
def lock(ctx: CommandContext, args: Any) -> None:
    service.lock_board(ctx.db, ctx.actor, ctx.now)


@command("board:unlock", roles=HOSTS, locks=True)
def unlock(ctx: CommandContext, args: Any) -> None:
    service.unlock_board(ctx.db, ctx.actor, ctx.now)


@command("board:close", roles=HOSTS)
def close(ctx: CommandContext, args: Any) -> None:
    service.close_board(ctx.db, ctx.actor.session_id, ctx.now)


@command("board:hide", roles=HOSTS, args=PostArgs(), locks=True)
def hide(ctx: CommandContext, args: Any) -> None:
    curation.hide_post(ctx.db, ctx.actor, post_id=args.post_id, now=ctx.now)


@command("board:restore", roles=HOSTS, args=PostArgs(), locks=True)
def restore(ctx: CommandContext, args: Any) -> None:
    curation.restore_post(ctx.db, ctx.actor, post_id=args.post_id, now=ctx.now)


@command("board:add_cluster", roles=HOSTS, args=AddClusterArgs(), locks=True)
def add_cluster(ctx: CommandContext, args: Any) -> dict[str, Any]:
    added = curation.add_cluster(ctx.db, ctx.actor, name=args.name, now=ctx.now)
    return {"cluster_id": added[0].payload["cluster"]["id"]}


@command("board:rename_cluster", roles=HOSTS, args=RenameClusterArgs(), locks=True)
def rename_cluster(ctx: CommandContext, args: Any) -> None:
    curation.rename_cluster(
        ctx.db, ctx.actor, cluster_id=args.cluster_id, name=args.name, now=ctx.now
    )


@command("board:remove_cluster", roles=HOSTS, args=ClusterArgs(), locks=True)
def remove_cluster(ctx: CommandContext, args: Any) -> None:
    curation.remove_cluster(ctx.db, ctx.actor, cluster_id=args.cluster_id, now=ctx.now)


@command("board:move_post", roles=HOSTS, args=MovePostArgs(), locks=True)
def move_post(ctx: CommandContext, args: Any) -> None:
    curation.move_post(
        ctx.db, ctx.actor, post_id=args.post_id, cluster_id=args.cluster_id, now=ctx.now
    )


@command("board:mine", roles=PEOPLE)
def mine(ctx: CommandContext, args: Any) -> dict[str, Any]:
    """This person's own posts, reactions and votes on the current board, for a browser
    of theirs that does not keep them (another device)."""
    return own_on_board(ctx.db, _writer(ctx))


@command("board:export", roles=PEOPLE)
def export(ctx: CommandContext, args: Any) -> dict[str, Any]:
    return {"export": export_board(ctx.db, ctx.actor)}
