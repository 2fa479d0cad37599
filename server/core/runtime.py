"""What a running app holds: settings, database, clock, Socket.IO server, worker id,
the command budget (core.throttle), the process's metrics (core.metrics), the budgets of
connection attempts (core.connect_limits) (core.metrics) and whether
it is shutting down (core.shutdown)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_socketio import SocketIO

from server.config import Settings
from server.core.clock import Clock
from server.core.connect_limits import ConnectLimits
from server.core.db import Database
from server.core.drain import Drain
from server.core.metrics import Metrics
from server.core.throttle import Throttle


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Clock
    socketio: SocketIO
    worker_id: str
    throttle: Throttle
    metrics: Metrics
    connect_limits: ConnectLimits
    drain: Drain = field(default_factory=Drain)


def current_runtime() -> Runtime:
    return current_app.extensions["holdsport"]  # type: ignore[no-any-return]
