"""Schemas for the files in content/: every file is checked like any outside input.

Unknown fields are an error (a typo must not silently drop a text). Rules that need
more than one file (references to banks, the library's lists) are checked by the loader.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from server.content.keys import RESERVED_ITEM_KEYS
from server.core.validation import Strict

PHASE_KINDS = ("round", "dilemma_round", "discussion", "board", "break", "pulse", "breakout")
ADVANCE = ("manual", "auto")
ITEM_KINDS = (
    "question",
    "example",
    "description",
    "feedback_question",
    "action",
    "column",
    "statement",  # rated on the pulse's 1-7 scale (server/pulse)
    "scale",  # a label of a point on that scale
)
# Items that can head a column on the anonymous board.
BOARD_ITEM_KINDS = ("column", "action")
DIRECTIONS = ("upward", "sideways", "downward")
MAX_MINUTES = 480


KEY = validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$", error="Must be snake_case, at most 40 long.")


def _key(*checks: validate.Validator, **kwargs: Any) -> fields.String:
    return fields.String(validate=[KEY, *checks], **kwargs)


def _reference() -> fields.String:
    return fields.String(
        validate=validate.Regexp(
            r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", error='Must be "<bank>.<item>".'
        )
    )


def _not_blank(text: str) -> None:
    if not text.strip():
        raise ValidationError("Must not be blank.")


def _text(required: bool = True) -> fields.String:
    checks: list[Callable[[str], Any]] = [validate.Length(min=1, max=2000), _not_blank]
    if required:
        return fields.String(required=True, validate=checks)
    return fields.String(load_default=None, validate=checks)


def _minutes(**kwargs: Any) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_MINUTES), **kwargs)


def _unique_keys(entries: list[dict[str, Any]], name: str) -> None:
    twice = sorted(key for key, n in Counter(e["key"] for e in entries).items() if n > 1)
    if twice:
        raise ValidationError(f"Keys used twice: {', '.join(twice)}.", name)


class ModelFile(Strict):
    key = _key(required=True)
    title = _text()
    credit = _text()


class LibraryFile(Strict):
    source = _text()
    agreement = _text()
    formats = fields.List(_key(), required=True, validate=validate.Length(min=1))
    banks = fields.List(_key(), required=True, validate=validate.Length(min=1))
    models = fields.List(fields.Nested(ModelFile), required=True, validate=validate.Length(min=1))

    @validates_schema
    def _unique(self, data: dict[str, Any], **_: Any) -> None:
        _unique_keys(data["models"], "models")
        for name in ("formats", "banks"):
            _unique_keys([{"key": key} for key in data[name]], name)


class GroupFile(Strict):
    key = _key(required=True)
    title = _text()


class ItemFile(Strict):
    key = _key(
        validate.NoneOf(RESERVED_ITEM_KEYS, error="Reserved for the bank's own texts."),
        required=True,
    )
    kind = fields.String(required=True, validate=validate.OneOf(ITEM_KINDS))
    group = _key(load_default=None)
    text = _text()
    # A pulse statement scored 8 - x: agreeing with it means less psychological safety.
    reverse = fields.Boolean(load_default=False)

    @validates_schema
    def _reverse_statements_only(self, data: dict[str, Any], **_: Any) -> None:
        if data["reverse"] and data["kind"] != "statement":
            raise ValidationError("Only a statement is reverse-scored.", "reverse")


class BankFile(Strict):
    key = _key(required=True)
    model = _key(required=True)
    title = _text()
    intro = _text()
    direction = fields.String(load_default=None, validate=validate.OneOf(DIRECTIONS))
    groups = fields.List(fields.Nested(GroupFile), load_default=list)
    items = fields.List(fields.Nested(ItemFile), required=True, validate=validate.Length(min=1))

    @validates_schema
    def _groups_resolve(self, data: dict[str, Any], **_: Any) -> None:
        _unique_keys(data["items"], "items")
        _unique_keys(data["groups"], "groups")
        known = {group["key"] for group in data["groups"]}
        unknown = sorted({i["group"] for i in data["items"] if i["group"]} - known)
        if unknown:
            raise ValidationError(f"Unknown groups: {', '.join(unknown)}.", "items")


class StepFile(Strict):
    key = _key(required=True)
    title = _text()
    minutes = _minutes(required=True)


class PhaseFile(Strict):
    key = _key(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(PHASE_KINDS))
    title = _text()
    intro = _text(required=False)
    advance = fields.String(required=True, validate=validate.OneOf(ADVANCE))
    minutes = _minutes(load_default=None)
    prompts = fields.List(_reference(), load_default=list)
    board_prompts = fields.List(_reference(), load_default=list)
    presenters = fields.Integer(
        strict=True, load_default=None, validate=validate.Range(min=1, max=20)
    )
    steps = fields.List(fields.Nested(StepFile), load_default=list)
    # A phase with presenters that is no dilemma (peer feedback, say) gives its own words:
    # what it is called, and what the presenter does while the others speak.
    kind_name = _text(required=False)
    listening = _text(required=False)

    @validates_schema
    def _fits_its_kind(self, data: dict[str, Any], **_: Any) -> None:
        dilemma = data["kind"] == "dilemma_round"
        if data["kind"] == "breakout":
            # Each group goes through the steps for each member; `minutes` is the common
            # countdown everyone returns to the plenary by.
            if data["minutes"] is None:
                raise ValidationError("Missing data for required field.", "minutes")
            if data["presenters"] is not None:
                raise ValidationError("Every member of a breakout group presents.", "presenters")
            if not data["steps"]:
                raise ValidationError("A breakout phase needs steps.", "steps")
            _unique_keys(data["steps"], "steps")
        elif dilemma:
            # A dilemma round's length follows from its steps and presenters.
            if data["minutes"] is not None:
                raise ValidationError("A dilemma round takes its minutes from steps.", "minutes")
            if data["presenters"] is None:
                raise ValidationError("A dilemma round needs presenters.", "presenters")
            if not data["steps"]:
                raise ValidationError("A dilemma round needs steps.", "steps")
            _unique_keys(data["steps"], "steps")
        else:
            if data["minutes"] is None:
                raise ValidationError("Missing data for required field.", "minutes")
            for name in ("presenters", "steps"):
                if data[name]:
                    raise ValidationError("Only a dilemma round has this.", name)
        if bool(data["kind_name"]) != bool(data["listening"]):
            raise ValidationError("Give both kind_name and listening, or neither.", "kind_name")
        if data["kind_name"] and not data["steps"]:
            raise ValidationError("Only a phase with presenters has its own words.", "kind_name")
        board = data["kind"] == "board"
        if board and not data["board_prompts"]:
            raise ValidationError("A board phase needs board prompts.", "board_prompts")
        if not board and data["board_prompts"]:
            raise ValidationError("Only a board phase has board prompts.", "board_prompts")


class FormatFile(Strict):
    key = _key(required=True)
    model = _key(load_default=None)
    title = _text()
    summary = _text()
    audience = _text()
    phases = fields.List(fields.Nested(PhaseFile), required=True, validate=validate.Length(min=1))

    @validates_schema
    def _unique(self, data: dict[str, Any], **_: Any) -> None:
        _unique_keys(data["phases"], "phases")
