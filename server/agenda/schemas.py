"""Input schemas (`...Args`) for agenda, turn, hand and ready commands."""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import fields, validate

from server.agenda.models import Advance, OrderMode, PhaseKind
from server.core.validation import Args, Int, Text

Id = Int(required=True, validate=validate.Range(min=1))
Segment = Int(required=True, validate=validate.Range(min=0))
Minutes = Int(validate=validate.Range(min=1, max=240))
Prompts = fields.List(Text(max_length=300), validate=validate.Length(max=12))


def _choice(kind, **options):  # type: ignore[no-untyped-def]
    return fields.String(validate=validate.OneOf([m.value for m in kind]), **options)


class SegmentArgs(Args):
    segment = Segment


class ExtendArgs(Args):
    segment = Segment
    # Negative shortens the countdown (to zero at most).
    seconds = Int(
        required=True,
        validate=[validate.Range(min=-3600, max=3600), validate.NoneOf([0])],
    )


class TurnArgs(Args):
    turn_id = Id


class ReorderArgs(Args):
    turn_ids = fields.List(Int(), required=True, validate=validate.Length(max=200))


class PresentersArgs(Args):
    # The turns that present from now on, in order (at least one).
    turn_ids = fields.List(Int(), required=True, validate=validate.Length(min=1, max=200))


class AlternateArgs(Args):
    alternate = fields.Boolean(required=True)


class HandArgs(Args):
    hand_id = Id


class ReadyArgs(Args):
    ready = fields.Boolean(required=True)


class TitleArgs(Args):
    # Empty clears the title; `share` is the presenter's consent to the summary showing it.
    title = Text(max_length=120, min_length=0, required=True)
    share = fields.Boolean(load_default=False)


@dataclass(frozen=True)
class NewPhase:
    """A phase the facilitator adds: where it goes (None: at the end) and what it is."""

    kind: str
    title: str
    minutes: int
    advance: str = Advance.MANUAL.value
    order_mode: str = OrderMode.JOIN.value
    prompts: list[str] | None = None
    position: int | None = None


@dataclass(frozen=True)
class PhaseChanges:
    """What the facilitator changes in a phase; None: left as it is."""

    phase_id: int
    title: str | None = None
    minutes: int | None = None
    advance: str | None = None
    order_mode: str | None = None
    prompts: list[str] | None = None
    prompt_keys: list[str] | None = None
    board_mode: str | None = None
    board_named: bool | None = None
    board_threshold: int | None = None
    board_groups: bool | None = None


# A follow-up phase is added by the agenda itself when there are actions to follow up.
_PLANNABLE = [kind.value for kind in PhaseKind if kind is not PhaseKind.FOLLOW_UP]


class AddPhaseArgs(Args):
    Data = NewPhase
    kind = fields.String(required=True, validate=validate.OneOf(_PLANNABLE))
    title = Text(max_length=120, required=True)
    minutes = Int(required=True, validate=validate.Range(min=1, max=240))
    advance = _choice(Advance, load_default=Advance.MANUAL.value)
    order_mode = _choice(OrderMode, load_default=OrderMode.JOIN.value)
    prompts = Prompts
    position = Int(validate=validate.Range(min=0, max=100))


class UpdatePhaseArgs(Args):
    Data = PhaseChanges
    phase_id = Id
    title = Text(max_length=120)
    minutes = Minutes
    advance = _choice(Advance)
    order_mode = _choice(OrderMode)
    prompts = Prompts
    # Content keys from the question banks (GET /api/library: items), shown before own text.
    prompt_keys = fields.List(Text(max_length=160, min_length=0), validate=validate.Length(max=12))
    # A board phase's board, before it starts:
    board_mode = fields.String(validate=validate.OneOf(["reveal", "live"]))
    board_named = fields.Boolean()
    board_threshold = Int(validate=validate.Range(min=2, max=20))
    # A breakout phase's: each group gets its own anonymous board.
    board_groups = fields.Boolean()


class PhaseArgs(Args):
    phase_id = Id


class MovePhaseArgs(Args):
    phase_id = Id
    position = Int(required=True, validate=validate.Range(min=0, max=100))
