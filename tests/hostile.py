"""Hostile values and Hypothesis strategies for fuzzing what the server takes in.

`payloads(schema)` builds payloads for an input schema: each field sometimes valid,
sometimes hostile, sometimes missing, with unknown fields now and then, and now and then
no object at all.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from marshmallow import Schema, fields, validate

from server.core.validation import Int, Text
from tests.support import IN_CI


def fuzz_settings(examples: int) -> settings:
    """Random examples on a developer's machine (new ones each run); in CI the same
    examples every run, so a red CI always means a change, never luck."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=IN_CI,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# Each alone must be refused wherever text goes into the database.
FORBIDDEN_TEXTS = [
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate: no UTF-8 for it
    "ok\udfff",
    "now \x1b[31mred",
    "a\x7fb",
    "next\x85line",
    "two\nlines",
]
# ...and these wherever text is required (in an optional field they are no text).
BLANK_TEXTS = [" ", "\t\n ", "\u3000"]
HOSTILE_TEXTS = FORBIDDEN_TEXTS + BLANK_TEXTS
# Each alone must be refused wherever a whole number goes into the database.
HOSTILE_INTS = [2**31, -(2**31) - 1, 2**63, 2**64, 10**30, -(10**30), 2**200]
# Harmless-looking but odd: accepted or refused, never a fault.
ODD_TEXTS = [
    "",
    "\u202egnp.exe",
    "👩‍👩‍👧",
    "<script>alert(1)</script>",
    "%(fields)s %s {0}",
    "' OR 1=1 --",
    "x" * 5000,
    "ǅ\u0301",
]


def refused_texts(field: Text) -> list[str]:
    """The hostile texts this field must refuse (a post may have line breaks; an optional
    field may be blank)."""

    def refused(value: str) -> bool:
        inside = value.strip()
        if field.min_length and not inside:
            return True
        return any(
            unicodedata.category(c) == "Cs"
            or (unicodedata.category(c) == "Cc" and c not in field.allowed)
            for c in inside
        )

    return [value for value in HOSTILE_TEXTS if refused(value)]


hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXTS + ODD_TEXTS),
    # Any code point, lone surrogates and control characters included.
    st.text(st.characters(codec=None, exclude_categories=()), max_size=40),
)
hostile_int = st.one_of(
    st.sampled_from(HOSTILE_INTS),
    st.integers(min_value=2**31 - 2, max_value=2**70),
    st.integers(min_value=-(2**70), max_value=-(2**31) + 2),
    st.integers(min_value=-5, max_value=50),
)
scalar = st.one_of(
    st.none(),
    st.booleans(),
    hostile_int,
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
)


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(inner, max_size=4), st.dictionaries(hostile_text, inner, max_size=4))


junk = st.recursive(scalar, _nested, max_leaves=8)


def field_values(field: fields.Field, sensible: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values for one field: a sensible one if the test knows it, else hostile or junk."""
    choices: list[st.SearchStrategy[Any]] = [junk]
    name = field.name or ""
    if name in sensible:
        choices.append(st.just(sensible[name]))
    if isinstance(field, Int):
        choices += [hostile_int, hostile_int]
    elif isinstance(field, Text):
        choices += [hostile_text, hostile_text, st.text(max_size=20)]
    elif isinstance(field, fields.String):
        for check in _validators(field):
            if isinstance(check, validate.OneOf):
                choices.append(st.sampled_from(list(check.choices)))
        choices.append(hostile_text)
    elif isinstance(field, fields.Boolean):
        choices.append(st.booleans())
    elif isinstance(field, fields.List):
        inner = field_values(field.inner, {})
        choices += [st.lists(inner, max_size=5), st.lists(inner, min_size=6, max_size=20)]
    return st.one_of(choices)


def _validators(field: fields.Field) -> list[Any]:
    return list(field.validators)


def payloads(schema: Schema, sensible: dict[str, Any] | None = None) -> st.SearchStrategy[Any]:
    sensible = sensible or {}
    optional = {name: field_values(field, sensible) for name, field in schema.fields.items()}
    extra = st.dictionaries(hostile_text, junk, max_size=2)
    objects = st.builds(
        lambda known, more: {**more, **known},
        st.fixed_dictionaries({}, optional=optional),
        st.one_of(st.just({}), st.just({}), extra),
    )
    return st.one_of(objects, objects, objects, junk)
