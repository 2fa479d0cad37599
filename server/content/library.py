"""The content library as typed, read-only values: formats, phases, steps, banks, items.

Texts are not stored here, only their content keys; `content_text(key, language)`
gives the words in a language. `english` keeps the source text per key, because the
catalog looks a text up by (key, English text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from server.content.keys import LIBRARY_SOURCE


@dataclass(frozen=True)
class Step:
    """One step of a dilemma round, taken once per presenter."""

    key: str
    title_key: str
    minutes: int


@dataclass(frozen=True)
class Phase:
    key: str
    kind: str  # round | dilemma_round | discussion | board | break | pulse | breakout
    minutes: int  # the planned total; a dilemma round's is presenters x its steps
    advance: str  # manual | auto
    title_key: str
    intro_key: str | None
    prompt_keys: list[str]
    board_prompt_keys: list[str] = field(default_factory=list)
    presenters: int | None = None
    steps: list[Step] = field(default_factory=list)
    # A phase with presenters that is no dilemma round names itself and tells the
    # presenter what to do while the others speak (content keys); None: a dilemma's words.
    words: dict[str, str] | None = None


@dataclass(frozen=True)
class Format:
    key: str
    model: str | None
    title_key: str
    summary_key: str
    audience_key: str
    phases: list[Phase]

    @property
    def total_minutes(self) -> int:
        return sum(phase.minutes for phase in self.phases)

    def phase(self, key: str) -> Phase:
        return next(phase for phase in self.phases if phase.key == key)


@dataclass(frozen=True)
class Item:
    key: str
    content_key: str
    # question | example | description | feedback_question | action | column
    # | statement | scale (the pulse's statements and the labels of its scale)
    kind: str
    group: str | None
    reverse: bool = False  # a pulse statement scored 8 - x


@dataclass(frozen=True)
class Group:
    key: str
    title_key: str


@dataclass(frozen=True)
class Bank:
    key: str
    model: str
    title_key: str
    intro_key: str
    direction: str | None
    groups: list[Group]
    items: list[Item]


@dataclass(frozen=True)
class Model:
    key: str
    title_key: str
    credit_key: str


@dataclass(frozen=True)
class Library:
    formats: dict[str, Format]  # in the order the library shows them
    banks: dict[str, Bank]
    models: dict[str, Model]
    english: dict[str, str]  # content key -> English source text

    @property
    def items(self) -> dict[str, Item]:
        """Every bank item by its content key."""
        return {item.content_key: item for bank in self.banks.values() for item in bank.items}


def format_fields(fmt: Format) -> dict[str, Any]:
    """A format as plain JSON for clients (docs/protocol.md: Format)."""
    return {
        "key": fmt.key,
        "model": fmt.model,
        "title_key": fmt.title_key,
        "summary_key": fmt.summary_key,
        "audience_key": fmt.audience_key,
        "total_minutes": fmt.total_minutes,
        "phases": [
            {
                "key": p.key,
                "kind": p.kind,
                "minutes": p.minutes,
                "advance": p.advance,
                "title_key": p.title_key,
                "intro_key": p.intro_key,
                "prompt_keys": p.prompt_keys,
                "board_prompt_keys": p.board_prompt_keys,
                "presenters": p.presenters,
                "words": p.words,
                "steps": [
                    {"key": s.key, "title_key": s.title_key, "minutes": s.minutes} for s in p.steps
                ],
            }
            for p in fmt.phases
        ],
    }


def library_fields(library: Library) -> dict[str, Any]:
    """The whole library as plain JSON for clients (docs/protocol.md: Library)."""
    return {
        "source_key": LIBRARY_SOURCE,
        "models": [
            {"key": m.key, "title_key": m.title_key, "credit_key": m.credit_key}
            for m in library.models.values()
        ],
        "formats": [format_fields(fmt) for fmt in library.formats.values()],
        "banks": [
            {
                "key": b.key,
                "model": b.model,
                "title_key": b.title_key,
                "intro_key": b.intro_key,
                "direction": b.direction,
                "groups": [{"key": g.key, "title_key": g.title_key} for g in b.groups],
                "items": [
                    {
                        "key": i.key,
                        "content_key": i.content_key,
                        "kind": i.kind,
                        "group": i.group,
                        "reverse": i.reverse,
                    }
                    for i in b.items
                ],
            }
            for b in library.banks.values()
        ],
    }
