"""What a running app holds: settings, database, clock, Socket.IO server, worker id."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_socketio import SocketIO

from server.config import Settings
from server.core.clock import Clock
from server.core.db import Database


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Clock
    socketio: SocketIO
    worker_id: str


def current_runtime() -> Runtime:
    return current_app.extensions["holdsport"]  # type: ignore[no-any-return]
