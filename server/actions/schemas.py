"""Input schemas (`...Args`) for action commands. Every string and list is bounded."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from server.actions.models import TEXT_LENGTH, Level, Outcome, OwnerKind
from server.core.validation import Args, Int, Text

MAX_POSTS = 50  # posts turned into actions in one command
_ID = validate.Regexp(r"^[A-Za-z0-9_-]{1,16}$")  # a board post's id


def _choice(kind: type[StrEnum], **options: Any) -> fields.String:
    return fields.String(validate=validate.OneOf([m.value for m in kind]), **options)


def _plausible(value: date) -> None:
    if not 2000 <= value.year <= 2100:
        raise ValidationError("Must be a date between 2000 and 2100.")


class ActionArgs(Args):
    """What an action says: its text, level, owner and due date."""

    text = Text(max_length=TEXT_LENGTH, required=True)
    level = _choice(Level, required=True)
    # "person" (then `owner_id`: a participant of this session), "group", or None: nobody.
    owner = _choice(OwnerKind, load_default=None, allow_none=True)
    owner_id = Int(load_default=None, allow_none=True)
    due = fields.Date(load_default=None, allow_none=True, validate=_plausible)

    @validates_schema
    def _owner_named(self, data: dict[str, object], **_: object) -> None:
        if data.get("owner") == OwnerKind.PERSON.value and data.get("owner_id") is None:
            raise ValidationError("A person's id is needed.", "owner_id")


class EditActionArgs(ActionArgs):
    action_id = Int(required=True)


class ActionIdArgs(Args):
    action_id = Int(required=True)


class FromPostsArgs(Args):
    # None or empty: every shown post of the current board.
    post_ids = fields.List(
        fields.String(validate=_ID), load_default=None, validate=validate.Length(max=MAX_POSTS)
    )
    # Needed where the board's columns are not the four IGLO levels.
    level = _choice(Level, load_default=None, allow_none=True)


class FollowUpArgs(Args):
    action_id = Int(required=True)
    outcome = _choice(Outcome, required=True)
