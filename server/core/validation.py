"""Turning outside input into checked values, or a DomainError that says which fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import RAISE, Schema, ValidationError

from server.core.errors import DomainError


class Args(Schema):
    """Base for every input schema: unknown fields are an error, not silently dropped."""

    class Meta:
        unknown = RAISE


class NoArgs(Args):
    pass


def accepted_by(accepts: Callable[[str], bool], error: str) -> Callable[[str], None]:
    """A validator asking `accepts` when a value arrives, not when the schema is defined:
    the choices may be known only later (the content library, a test's extra language)."""

    def check(value: str) -> None:
        if not accepts(value):
            raise ValidationError(error)

    return check


def load_args(schema: Schema, payload: Any) -> dict[str, Any]:
    if payload is None:
        payload = {}
    try:
        return schema.load(payload)
    except ValidationError as err:
        problems = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
        raise DomainError("invalid_payload", fields=sorted(problems)) from err
