"""Input schemas (`...Args`) for breakout commands."""

from __future__ import annotations

from marshmallow import validate

from server.core.validation import Args, Int, Text

Id = Int(required=True, validate=validate.Range(min=1))
GroupNumber = Int(required=True, validate=validate.Range(min=1, max=200))
MAX_GROUP_SIZE = 8


class PlanArgs(Args):
    phase_id = Id
    size = Int(load_default=3, validate=validate.Range(min=2, max=MAX_GROUP_SIZE))


class MoveArgs(Args):
    phase_id = Id
    participant_id = Id
    group = GroupNumber  # one past the last opens a new group


class NextStepArgs(Args):
    phase_id = Id
    group = GroupNumber
    segment = Int(required=True, validate=validate.Range(min=0))


class SynthesisArgs(Args):
    phase_id = Id
    # Empty takes the synthesis back; its lines stay lines.
    text = Text(max_length=1000, min_length=0, multiline=True, required=True)


class BroadcastArgs(Args):
    phase_id = Id
    text = Text(max_length=280, required=True)
