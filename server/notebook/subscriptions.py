"""What the notebook does when others tell it something (server.core.bus). It adds no
snapshot part: a snapshot is shared, a notebook is one person's (notebook:get)."""

from __future__ import annotations

from server.core.bus import Bus, PersonRemoved, SessionContentExpired, SessionDeleted
from server.notebook import retention


def install(bus: Bus) -> None:
    bus.subscribe(SessionContentExpired, retention.forget_notebooks)
    bus.subscribe(SessionDeleted, retention.forget_notebooks)
    bus.subscribe(PersonRemoved, retention.forget_removed_persons_notes)
