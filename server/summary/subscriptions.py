"""What the summary does when others tell it something (server.core.bus): a kept
summary goes with its session when that is deleted (not when its content expires)."""

from __future__ import annotations

from server.core.bus import Bus, SessionDeleted
from server.summary import service


def install(bus: Bus) -> None:
    bus.subscribe(SessionDeleted, service.forget_kept)
