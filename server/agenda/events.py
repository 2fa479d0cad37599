"""Socket.IO commands for the agenda, turns, hands and ready signals.

What is a person's own (their "ready", their dilemma's title) goes back in the ack and,
after the commit, to their other connections only (`agenda:my_agenda`: another tab or
device, the host's other logins too), never to the session.
"""

from __future__ import annotations

from typing import Any

from server.agenda import editing, floor, service, titles, turns
from server.agenda.clock import clock_seen
from server.agenda.schemas import (
    AddPhaseArgs,
    AlternateArgs,
    ExtendArgs,
    HandArgs,
    MovePhaseArgs,
    PhaseArgs,
    PresentersArgs,
    ReadyArgs,
    ReorderArgs,
    SegmentArgs,
    TitleArgs,
    TurnArgs,
    UpdatePhaseArgs,
)
from server.core.connections import sids_of
from server.core.domain import HOSTS, PEOPLE, declare_events
from server.core.realtime import NAMESPACE, CommandContext, command
from server.core.runtime import current_runtime

MY_AGENDA = "agenda:my_agenda"
declare_events(MY_AGENDA)


def _tell_my_other_connections(ctx: CommandContext) -> None:
    """After the commit, the person's other connections get their `my_agenda` anew, with
    the phase it belongs to (a "ready" of a phase that has ended meanwhile is dropped)."""
    assert ctx.actor.participant_id is not None  # PEOPLE: a participant or a host
    others = [sid for sid in sids_of(ctx.db, ctx.actor.participant_id) if sid != ctx.sid]
    if not others:
        return
    ctx.db.flush()
    clock = clock_seen(ctx.db, ctx.actor.session_id)  # as the command read it: kept
    payload = {
        "phase_id": clock.phase_id if clock is not None else None,
        "my_agenda": floor.my_agenda(ctx.db, ctx.actor),
    }

    def send() -> None:
        socketio = current_runtime().socketio
        for sid in others:  # through the message queue: a connection may be elsewhere
            socketio.emit(MY_AGENDA, payload, to=sid, namespace=NAMESPACE)

    ctx.change.after_commit.append(send)


@command("agenda:next", roles=HOSTS, args=SegmentArgs(), locks=True)
def next_segment(ctx: CommandContext, args: Any) -> None:
    service.next_segment(ctx.db, ctx.actor, args.segment, ctx.now)


@command("agenda:previous", roles=HOSTS, args=SegmentArgs(), locks=True)
def previous_segment(ctx: CommandContext, args: Any) -> None:
    service.previous_segment(ctx.db, ctx.actor, args.segment, ctx.now)


@command("timer:pause", roles=HOSTS, args=SegmentArgs(), locks=True)
def pause(ctx: CommandContext, args: Any) -> None:
    service.pause(ctx.db, ctx.actor, args.segment, ctx.now)


@command("timer:resume", roles=HOSTS, args=SegmentArgs(), locks=True)
def resume(ctx: CommandContext, args: Any) -> None:
    service.resume(ctx.db, ctx.actor, args.segment, ctx.now)


@command("timer:extend", roles=HOSTS, args=ExtendArgs(), locks=True)
def extend(ctx: CommandContext, args: Any) -> None:
    service.extend(ctx.db, ctx.actor, args.segment, args.seconds, ctx.now)


@command("agenda:add_phase", roles=HOSTS, args=AddPhaseArgs(), locks=True)
def add_phase(ctx: CommandContext, args: Any) -> None:
    editing.add_phase(ctx.db, ctx.actor, args, ctx.now)


@command("agenda:update_phase", roles=HOSTS, args=UpdatePhaseArgs(), locks=True)
def update_phase(ctx: CommandContext, args: Any) -> None:
    editing.update_phase(ctx.db, ctx.actor, args, ctx.now)


@command("agenda:remove_phase", roles=HOSTS, args=PhaseArgs(), locks=True)
def remove_phase(ctx: CommandContext, args: Any) -> None:
    editing.remove_phase(ctx.db, ctx.actor, args.phase_id, ctx.now)


@command("agenda:move_phase", roles=HOSTS, args=MovePhaseArgs(), locks=True)
def move_phase(ctx: CommandContext, args: Any) -> None:
    editing.move_phase(ctx.db, ctx.actor, args.phase_id, args.position, ctx.now)


@command("agenda:set_alternate", roles=HOSTS, args=AlternateArgs(), locks=True)
def set_alternate(ctx: CommandContext, args: Any) -> None:
    turns.set_alternate(ctx.db, ctx.actor, args.alternate, ctx.now)


@command("turn:pass", roles=PEOPLE, locks=True)
def pass_turn(ctx: CommandContext, args: Any) -> None:
    turns.pass_turn(ctx.db, ctx.actor, ctx.now)


@command("turn:skip", roles=HOSTS, args=TurnArgs(), locks=True)
def skip_turn(ctx: CommandContext, args: Any) -> None:
    turns.skip_turn(ctx.db, ctx.actor, args.turn_id, ctx.now)


@command("turn:move_to_end", roles=HOSTS, args=TurnArgs(), locks=True)
def move_to_end(ctx: CommandContext, args: Any) -> None:
    turns.move_to_end(ctx.db, ctx.actor, args.turn_id, ctx.now)


@command("turn:reorder", roles=HOSTS, args=ReorderArgs(), locks=True)
def reorder(ctx: CommandContext, args: Any) -> None:
    turns.reorder(ctx.db, ctx.actor, args.turn_ids, ctx.now)


@command("turn:choose_presenters", roles=HOSTS, args=PresentersArgs(), locks=True)
def choose_presenters(ctx: CommandContext, args: Any) -> None:
    turns.choose_presenters(ctx.db, ctx.actor, args.turn_ids, ctx.now)


@command("turn:shuffle", roles=HOSTS, locks=True)
def shuffle(ctx: CommandContext, args: Any) -> None:
    turns.shuffle(ctx.db, ctx.actor, ctx.now)


@command("hand:raise", roles=PEOPLE, locks=True)
def raise_hand(ctx: CommandContext, args: Any) -> None:
    floor.raise_hand(ctx.db, ctx.actor, ctx.now)


@command("hand:lower", roles=PEOPLE, locks=True)
def lower_own_hand(ctx: CommandContext, args: Any) -> None:
    floor.lower_own_hand(ctx.db, ctx.actor, ctx.now)


@command("hand:give_word", roles=HOSTS, args=HandArgs(), locks=True)
def give_word(ctx: CommandContext, args: Any) -> None:
    floor.give_word(ctx.db, ctx.actor, args.hand_id, ctx.now)


@command("hand:dismiss", roles=HOSTS, args=HandArgs(), locks=True)
def dismiss_hand(ctx: CommandContext, args: Any) -> None:
    floor.lower_hand(ctx.db, ctx.actor, args.hand_id, ctx.now)


@command("hand:clear", roles=HOSTS, locks=True)
def clear_hands(ctx: CommandContext, args: Any) -> None:
    floor.lower_all_hands(ctx.db, ctx.actor, ctx.now)


@command("ready:set", roles=PEOPLE, args=ReadyArgs(), locks=True)
def set_ready(ctx: CommandContext, args: Any) -> dict[str, Any]:
    floor.set_ready(ctx.db, ctx.actor, args.ready, ctx.now)
    _tell_my_other_connections(ctx)
    return {"ready": args.ready}


@command("turn:title", roles=PEOPLE, args=TitleArgs())
def set_title(ctx: CommandContext, args: Any) -> dict[str, Any]:
    title = titles.set_title(ctx.db, ctx.actor, args.title, args.share)
    _tell_my_other_connections(ctx)
    return {"title": title}
