"""What presence does when others tell it something (server.core.bus)."""

from __future__ import annotations

from server.core.bus import Bus, PersonArrived, PersonLeft, PersonWaiting
from server.presence import service


def install(bus: Bus) -> None:
    bus.subscribe(PersonArrived, service.announce_arrival)
    bus.subscribe(PersonWaiting, service.announce_waiting)
    bus.subscribe(PersonLeft, service.announce_departure)
