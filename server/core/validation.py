"""Turning outside input into checked values, or a DomainError that says which fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cache
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, post_load

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
