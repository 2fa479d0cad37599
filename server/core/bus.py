"""Domain facts, and the bus that tells them to the features that react.

A fact is something one feature tells the others, inside the transaction that made
it happen: a subscriber changes its own rows and emits its own events on the same
change (core.change), so everything commits, or nothing does. Features subscribe in
their `reactions.install()`, called by the app factory (server.features); none
imports another feature's services to make it react. `reactions()` lists every
subscription: docs/architecture.md shows that list, and a test keeps it current.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Fact:
    session_id: int


@dataclass(frozen=True)
class SessionCreated(Fact):
    format_key: str
    # An earlier session of the same group whose planned agenda this one copies.
    agenda_from: int | None = None


@dataclass(frozen=True)
class SessionStarted(Fact):
    pass


@dataclass(frozen=True)
class ActionsCarried(Fact):
    """A session starts with open actions of its group's earlier sessions carried in:
    its agenda opens with a follow-up phase on them."""

    count: int


@dataclass(frozen=True)
class SessionEnded(Fact):
    pass


@dataclass(frozen=True)
class SessionContentExpired(Fact):
    """The session ended `retention_days` ago: what people wrote and did in it goes."""


@dataclass(frozen=True)
class SessionDeleted(Fact):
    """A facilitator deleted the session: every row of it goes, each feature its own."""


@dataclass(frozen=True)
class PersonArrived(Fact):
    """A person's first connection opened (a new arrival, or someone back)."""

    participant_id: int


@dataclass(frozen=True)
class PersonLeft(Fact):
    """A person's last connection closed (on purpose, dropped, or its process died)."""

    participant_id: int


@dataclass(frozen=True)
class PersonWaiting(Fact):
    """Someone not yet let in opened their first connection: they wait at the door."""

    participant_id: int


@dataclass(frozen=True)
class PersonAdmitted(Fact):
    """A host let someone in (they may or may not be connected right now)."""

    participant_id: int


@dataclass(frozen=True)
class PersonRemoved(Fact):
    """A host removed someone: their connections are gone, their token is dead."""

    participant_id: int


@dataclass(frozen=True)
class PhaseStarted(Fact):
    phase_id: int


@dataclass(frozen=True)
class PhaseEnded(Fact):
    phase_id: int


@dataclass(frozen=True)
class BreakoutGroupsChanged(Fact):
    """The groups of the running breakout phase changed: it started (seated), someone
    was moved, placed as a latecomer or removed."""

    phase_id: int


@dataclass(frozen=True)
class Tick:
    """The sweeper's beat: periodic work runs on it, each subscriber in its own transaction."""

    now: datetime


F = TypeVar("F")
Subscriber = Callable[[Session, Any, datetime], None]


class Bus:
    def __init__(self) -> None:
        self._subscribers: dict[type, list[Subscriber]] = {}

    def subscribe(self, fact: type[F], subscriber: Callable[[Session, F, datetime], None]) -> None:
        """Call `subscriber(db, fact, now)` for every fact of this type (once, however often)."""
        subscribers = self._subscribers.setdefault(fact, [])
        if subscriber not in subscribers:
            subscribers.append(subscriber)

    def subscribers(self, fact: type) -> list[Subscriber]:
        return list(self._subscribers.get(fact, []))

    def tell(self, db: Session, fact: Fact, now: datetime) -> None:
        """Every subscriber reacts, in the order they subscribed, in this transaction."""
        for subscriber in self.subscribers(type(fact)):
            subscriber(db, fact, now)

    def reactions(self) -> list[tuple[str, str]]:
        """(fact, subscriber) for every subscription, in order: the house's wiring."""
        return [
            (fact.__name__, f"{subscriber.__module__}.{subscriber.__qualname__}")
            for fact, subscribers in self._subscribers.items()
            for subscriber in subscribers
        ]


# The one bus of the house; features subscribe to it in their install().
bus = Bus()


def tell(db: Session, fact: Fact, now: datetime) -> None:
    bus.tell(db, fact, now)
