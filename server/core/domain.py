"""Words every feature shares: who acts (Actor) and what happened (Event)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Role(enum.StrEnum):
    FACILITATOR = "facilitator"
    COFACILITATOR = "cofacilitator"  # granted by a facilitator; can run the session too
    PARTICIPANT = "participant"
    DISPLAY = "display"  # a read-only room screen
    WAITING = "waiting"  # a participant at the door, not yet let in (never stored)


EVERYONE = frozenset(Role) - {Role.WAITING}
PEOPLE = frozenset({Role.FACILITATOR, Role.COFACILITATOR, Role.PARTICIPANT})
HOSTS = frozenset({Role.FACILITATOR, Role.COFACILITATOR})


@dataclass(frozen=True)
class Actor:
    """Who sends a command: taken from the credential, never from a payload."""

    session_id: int
    role: Role
    participant_id: int | None
    language: str


# Every event name the server may send; docs/protocol.md documents each (a test checks).
EVENTS: set[str] = {"session:snapshot"}


def declare_events(*names: str) -> None:
    EVENTS.update(names)


# What a person at the door may do: look, choose a language, go away.
AT_THE_DOOR = frozenset({Role.WAITING})


@dataclass(frozen=True)
class Event:
    """Something every connection of a session is told about, after the commit (a notice
    to one person's connections is sent by its handler, without a version)."""

    name: str
    session_id: int
    payload: dict[str, Any] = field(default_factory=dict)
    # A payload per connection (by sid) instead of one for the session's room, where
    # readers may see different things (the breakout groups: core.change.emit_each).
    each: dict[str, dict[str, Any]] | None = None

    def __post_init__(self) -> None:
        if self.name not in EVENTS:
            raise ValueError(f"undeclared event {self.name!r}")
