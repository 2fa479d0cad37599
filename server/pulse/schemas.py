"""Input schemas (`...Args`) for pulse commands."""

from __future__ import annotations

from marshmallow import fields, validate

from server.core.validation import Args, Int

MAX_STATEMENTS = 20  # the service checks the pulse's own number; this only bounds input


class AnswerArgs(Args):
    answers = fields.List(
        Int(required=True, validate=validate.Range(1, 7)),
        required=True,
        validate=validate.Length(min=1, max=MAX_STATEMENTS),
    )
