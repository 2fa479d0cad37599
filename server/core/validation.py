"""Turning outside input into checked values, or a DomainError that says which fields.

Every input schema builds on `Args` and takes text as `Text` and whole numbers as `Int`:
so a NUL, a lone surrogate, a control character, a title of only spaces or a number no
database column holds is an `invalid_payload`, never a fault deep inside the database.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, post_load
from marshmallow.validate import Length

from server.core.errors import DomainError


class Strict(Schema):
    """Unknown fields are an error, not silently dropped (files: content, settings)."""

    class Meta:
        unknown = RAISE


class Args(Strict):
    """Base for every input schema from outside: strict, and loading gives a frozen
    dataclass: the schema's own `Data` where it declares one (services that take the
    whole input), else one made from its fields. A field not required and not sent is None.
    """

    Data: ClassVar[type]

    @post_load
    def _typed(self, data: dict[str, Any], **_: Any) -> Any:
        return _data_class(type(self))(**data)


@cache
def _data_class(schema: type[Args]) -> type:
    declared = schema.__dict__.get("Data")
    if declared is not None:
        return declared  # type: ignore[no-any-return]
    names = [(name, Any, dataclasses.field(default=None)) for name in schema._declared_fields]
    return dataclasses.make_dataclass(schema.__name__, names, frozen=True)


class NoArgs(Args):
    pass


# Every integer column is a SQL INTEGER: 32 bits on PostgreSQL.
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
# Where text may break lines (a post); everywhere else no control character at all.
LINE_BREAKS = frozenset("\t\n\r")


class Text(fields.String):
    """Text as people type it: trimmed, then `min_length`..`max_length` characters long
    (so the default minimum of 1 refuses text of only spaces), with no NUL, no other
    control character inside (tabs and line breaks only where `multiline`) and no lone
    surrogate, which PostgreSQL and UTF-8 cannot store."""

    def __init__(
        self,
        *,
        max_length: int,
        min_length: int = 1,
        multiline: bool = False,
        validate: Any = None,
        **kwargs: Any,
    ) -> None:
        checks = [] if validate is None else validate if isinstance(validate, list) else [validate]
        super().__init__(validate=[Length(min=min_length, max=max_length), *checks], **kwargs)
        self.min_length = min_length
        self.allowed = LINE_BREAKS if multiline else frozenset()

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        for char in text:
            category = unicodedata.category(char)
            if category == "Cs":
                raise ValidationError("Must be valid Unicode text.")
            if category == "Cc" and char not in self.allowed:
                raise ValidationError("Must not contain control characters.")
        return text


class Int(fields.Integer):
    """A whole number as JSON sends it (strict: no strings, floats or booleans unless
    `strict=False`) that fits a signed 32-bit column."""

    def __init__(self, *, strict: bool = True, **kwargs: Any) -> None:
        super().__init__(strict=strict, **kwargs)

    def _validated(self, value: Any) -> int:
        number = super()._validated(value)
        if not INT32_MIN <= number <= INT32_MAX:
            raise ValidationError("Must fit in 32 bits.")
        return number


def accepted_by(accepts: Callable[[str], bool], error: str) -> Callable[[str], None]:
    """A validator asking `accepts` when a value arrives, not when the schema is defined:
    the choices may be known only later (the content library, a test's extra language)."""

    def check(value: str) -> None:
        if not accepts(value):
            raise ValidationError(error)

    return check


def load_args(schema: Schema, payload: Any) -> Any:
    """The checked input as a frozen dataclass (see Args)."""
    if payload is None:
        payload = {}
    try:
        return schema.load(payload)
    except ValidationError as err:
        problems = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
        raise DomainError("invalid_payload", fields=sorted(problems)) from err
