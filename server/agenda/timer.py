"""The countdown's arithmetic: start, pause, resume, extend, and what is left now.

For any row with a countdown's columns: the agenda's clock, a breakout group's.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from server.agenda.models import TimerStatus


class Countdown(Protocol):
    timer_status: TimerStatus
    duration_seconds: float
    ends_at: datetime | None
    remaining_seconds: float | None
    segment_started_at: datetime | None


def remaining(clock: Countdown, now: datetime) -> float:
    if clock.timer_status is TimerStatus.RUNNING and clock.ends_at is not None:
        return max(0.0, (clock.ends_at - now).total_seconds())
    if clock.timer_status is TimerStatus.PAUSED:
        return clock.remaining_seconds or 0.0
    return 0.0


def is_due(clock: Countdown, now: datetime) -> bool:
    """Running and past its end: time-up has to be handled."""
    return (
        clock.timer_status is TimerStatus.RUNNING
        and clock.ends_at is not None
        and clock.ends_at <= now
    )


def run(clock: Countdown, seconds: float, start: datetime) -> None:
    clock.timer_status = TimerStatus.RUNNING
    clock.duration_seconds = seconds
    clock.segment_started_at = start
    clock.ends_at = start + timedelta(seconds=seconds)
    clock.remaining_seconds = None


def pause(clock: Countdown, now: datetime) -> None:
    clock.remaining_seconds = remaining(clock, now)
    clock.timer_status = TimerStatus.PAUSED
    clock.ends_at = None


def resume(clock: Countdown, now: datetime) -> None:
    clock.ends_at = now + timedelta(seconds=clock.remaining_seconds or 0.0)
    clock.timer_status = TimerStatus.RUNNING
    clock.remaining_seconds = None


def extend(clock: Countdown, change: int, now: datetime) -> None:
    """More time (or, with a negative number, less: never below zero left)."""
    left = remaining(clock, now)
    if clock.timer_status is TimerStatus.EXPIRED and change <= 0:
        return  # nothing left to take away
    seconds = float(max(change, -left))
    clock.duration_seconds = max(0.0, clock.duration_seconds + seconds)
    if clock.timer_status is TimerStatus.RUNNING and clock.ends_at is not None:
        clock.ends_at = now + timedelta(seconds=left + seconds)
    elif clock.timer_status is TimerStatus.PAUSED:
        clock.remaining_seconds = left + seconds
    elif clock.timer_status is TimerStatus.EXPIRED:
        clock.timer_status = TimerStatus.RUNNING
        clock.ends_at = now + timedelta(seconds=seconds)


def expire(clock: Countdown) -> None:
    clock.timer_status = TimerStatus.EXPIRED
    clock.remaining_seconds = None


def stop(clock: Countdown) -> None:
    clock.timer_status = TimerStatus.IDLE
    clock.ends_at = None
    clock.remaining_seconds = None
    clock.duration_seconds = 0
