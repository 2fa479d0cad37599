"""Socket.IO commands on one's own notebook. Thin: check the args, call one service, reply.

A change goes back in the ack and, after the commit, to the same person's OTHER
connections only (their second tab or device), never to the session's room; it carries
no version, as it changes no shared state. Nothing here logs a payload.
"""

from __future__ import annotations

from typing import Any

from flask import request

from server.core import connections, personal
from server.core.domain import PEOPLE, declare_events
from server.core.realtime import NAMESPACE, CommandContext, command
from server.core.runtime import current_runtime
from server.notebook import service
from server.notebook.export import export_notebook
from server.notebook.schemas import NoteArgs, WriteNoteArgs

SAVED, DELETED = "notebook:entry_saved", "notebook:entry_deleted"
declare_events(SAVED, DELETED)


def _owner(ctx: CommandContext) -> service.Owner:
    secret = current_runtime().settings.secret_key
    return service.owner(ctx.db, ctx.actor, personal.recall(request.environ), secret)


def _tell_my_other_connections(ctx: CommandContext, name: str, payload: dict[str, Any]) -> None:
    assert ctx.actor.participant_id is not None
    sids = [sid for sid in connections.sids_of(ctx.db, ctx.actor.participant_id) if sid != ctx.sid]

    def send() -> None:
        socketio = current_runtime().socketio
        for sid in sids:  # through the queue: the other device may be on another process
            socketio.emit(name, payload, to=sid, namespace=NAMESPACE)

    ctx.change.after_commit.append(send)


@command("notebook:get", roles=PEOPLE)
def get(ctx: CommandContext, args: Any) -> dict[str, Any]:
    return {"notebook": service.read_notebook(ctx.db, _owner(ctx))}


@command("notebook:write", roles=PEOPLE, args=WriteNoteArgs())
def write(ctx: CommandContext, args: Any) -> dict[str, Any]:
    entry = service.write_note(
        ctx.db, _owner(ctx), entry_id=args.entry_id, kind=args.kind, text=args.text, now=ctx.now
    )
    _tell_my_other_connections(ctx, SAVED, {"entry": entry})
    return {"entry": entry}


@command("notebook:delete", roles=PEOPLE, args=NoteArgs())
def delete(ctx: CommandContext, args: Any) -> None:
    service.delete_note(ctx.db, _owner(ctx), entry_id=args.entry_id)
    _tell_my_other_connections(ctx, DELETED, {"id": args.entry_id})


@command("notebook:export", roles=PEOPLE)
def export(ctx: CommandContext, args: Any) -> dict[str, Any]:
    return export_notebook(ctx.db, _owner(ctx))
