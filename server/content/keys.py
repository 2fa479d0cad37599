"""The content key scheme: one stable key for every text in content/.

A key names where a text sits, never what it says, so the English can be reworded
without losing a translation's place. Keys double as the catalog's msgctxt.

    library.source                                  the credit for the whole library
    library.agreement                               a network session's confidentiality agreement
    model.<model>.title | .credit                   a model the content comes from
    format.<format>.title | .summary | .audience    a session format
    format.<format>.phase.<phase>.title | .intro    one phase of it
    format.<format>.phase.<phase>.kind_name | .listening
                                                    the words of a phase with presenters
    format.<format>.phase.<phase>.step.<step>.title one step of a dilemma round
    bank.<bank>.title | .intro                      a question bank
    bank.<bank>.group.<group>                       a heading inside a bank (e.g. an IGLO level)
    bank.<bank>.<item>                              one prompt, example or board column

A format refers to a bank item as "<bank>.<item>"; its content key is "bank.<bank>.<item>".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# Item keys that would read like a bank's own fields in the key scheme.
RESERVED_ITEM_KEYS = frozenset({"title", "intro", "group"})
LIBRARY_SOURCE = "library.source"
LIBRARY_AGREEMENT = "library.agreement"


def model_key(model: str, name: str) -> str:
    return f"model.{model}.{name}"


def format_key(fmt: str, name: str) -> str:
    return f"format.{fmt}.{name}"


def phase_key(fmt: str, phase: str, name: str) -> str:
    return f"format.{fmt}.phase.{phase}.{name}"


def step_key(fmt: str, phase: str, step: str) -> str:
    return f"format.{fmt}.phase.{phase}.step.{step}.title"


def bank_key(bank: str, name: str) -> str:
    return f"bank.{bank}.{name}"


def group_key(bank: str, group: str) -> str:
    return f"bank.{bank}.group.{group}"


def item_key(reference: str) -> str:
    """The content key of a bank item referred to as "<bank>.<item>"."""
    return f"bank.{reference}"


def library_texts(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(key, English text) of a validated library.toml, in file order."""
    yield LIBRARY_SOURCE, data["source"]
    yield LIBRARY_AGREEMENT, data["agreement"]
    for model in data["models"]:
        yield model_key(model["key"], "title"), model["title"]
        yield model_key(model["key"], "credit"), model["credit"]


def format_texts(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(key, English text) of a validated format file, in file order."""
    fmt = data["key"]
    for name in ("title", "summary", "audience"):
        yield format_key(fmt, name), data[name]
    for phase in data["phases"]:
        yield phase_key(fmt, phase["key"], "title"), phase["title"]
        if phase["intro"]:
            yield phase_key(fmt, phase["key"], "intro"), phase["intro"]
        if phase["kind_name"]:
            yield phase_key(fmt, phase["key"], "kind_name"), phase["kind_name"]
            yield phase_key(fmt, phase["key"], "listening"), phase["listening"]
        for step in phase["steps"]:
            yield step_key(fmt, phase["key"], step["key"]), step["title"]


def bank_texts(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(key, English text) of a validated bank file, in file order."""
    bank = data["key"]
    yield bank_key(bank, "title"), data["title"]
    yield bank_key(bank, "intro"), data["intro"]
    for group in data["groups"]:
        yield group_key(bank, group["key"]), group["title"]
    for item in data["items"]:
        yield item_key(f"{bank}.{item['key']}"), item["text"]
