"""What the pulse does when others tell it something (server.core.bus), its part of the
snapshot and its part of an ended session's summary."""

from __future__ import annotations

from server.core import snapshot, summary
from server.core.bus import Bus, PhaseEnded, PhaseStarted, SessionDeleted, SessionEnded
from server.pulse import phases, retention, service
from server.pulse.report import pulse_section


def install(bus: Bus) -> None:
    bus.subscribe(PhaseStarted, phases.on_phase_started)
    bus.subscribe(PhaseEnded, phases.on_phase_ended)
    bus.subscribe(SessionEnded, phases.on_session_ended)
    # Not on SessionContentExpired: a closed pulse names nobody (retention.py).
    bus.subscribe(SessionDeleted, retention.forget_pulses)
    snapshot.add_part("pulse", service.pulse_snapshot)
    summary.add_part("pulse", 50, pulse_section)
