"""The app factory: wires settings, database, Socket.IO and the features together."""

from __future__ import annotations

import uuid

from flask import Flask
from flask_socketio import SocketIO

from server import features
from server.config import Settings, load_settings
from server.content import library
from server.core import compression, connections, limits, logs, realtime, security, shutdown
from server.core.clock import Clock, SystemClock
from server.core.connect_limits import ConnectLimits
from server.core.db import Database
from server.core.http import install_error_handlers
from server.core.i18n import configure_extra
from server.core.message_queue import queue_manager
from server.core.metrics import Metrics
from server.core.runtime import Runtime
from server.core.throttle import Throttle
from server.core.unit import NAMESPACE, unit_of_work
from server.web import assets


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> Flask:
    settings = settings or load_settings()
    app = Flask(__name__, static_folder=None)
    app.config.update(SECRET_KEY=settings.secret_key, JSON_SORT_KEYS=False)
    app.json.sort_keys = False  # type: ignore[attr-defined]

    socketio = SocketIO(
        app,
        async_mode=settings.async_mode,
        # With REDIS_URL: Redis between processes, and catching up when it fails.
        client_manager=queue_manager(settings.redis_url, settings.redis_channel),
        # Same-origin only: the client is served by this app.
        cors_allowed_origins=None,
        max_http_buffer_size=settings.max_body_bytes,
        serializer=realtime.JsonPacket,
    )
    throttle = Throttle(settings)
    runtime = Runtime(
        settings,
        Database(settings.database_url),
        clock or SystemClock(),
        socketio,
        worker_id=str(uuid.uuid4()),
        throttle=throttle,
        metrics=Metrics(),
        # Counted where the command budget is: Redis shared by every process, or memory.
        connect_limits=ConnectLimits(settings, throttle.storage),
    )
    app.extensions["holdsport"] = runtime
    runtime.metrics.watch(runtime.db.engine)
    runtime.metrics.count_connections(
        lambda: sum(1 for _ in socketio.server.manager.get_participants(NAMESPACE, None))
    )

    # Pseudo-locale catalogs of a test run, or none: set for this process.
    configure_extra(settings.extra_translations_dir, settings.extra_languages)
    library()  # a broken content file stops the start, not someone's session
    _register_features(app, socketio)
    assets.install(app, settings)
    compression.install(app)
    install_error_handlers(app)
    logs.install(app)
    limits.install(app, settings)
    security.install(app, settings)
    app.wsgi_app = shutdown.SendElsewhere(app.wsgi_app, runtime)  # type: ignore[method-assign]
    with app.app_context():
        _announce_worker(runtime)
    return app


def _register_features(app: Flask, socketio: SocketIO) -> None:
    # Importing a feature's events module declares its commands (core.realtime).
    from server.accounts.signed_in import install_csrf_check
    from server.accounts.views import bp as accounts_bp
    from server.actions import events as _action_events  # noqa: F401
    from server.agenda import events as _agenda_events  # noqa: F401
    from server.board import events as _board_events  # noqa: F401
    from server.breakouts import events as _breakout_events  # noqa: F401
    from server.content.views import bp as content_bp
    from server.groups.views import bp as groups_bp
    from server.notebook import events as _notebook_events  # noqa: F401
    from server.operations.views import bp as operations_bp
    from server.presence import events as presence_events
    from server.pulse import events as _pulse_events  # noqa: F401
    from server.sessions import events as _session_events  # noqa: F401
    from server.sessions.views import bp as sessions_bp
    from server.summary import events as _summary_events  # noqa: F401
    from server.web.views import bp as web_bp

    features.install()
    app.register_blueprint(web_bp)
    app.register_blueprint(sessions_bp)
    app.register_blueprint(groups_bp)
    app.register_blueprint(accounts_bp)
    install_csrf_check(app)
    app.register_blueprint(content_bp)
    app.register_blueprint(operations_bp)
    presence_events.install(socketio)
    realtime.install(socketio)


def _announce_worker(runtime: Runtime) -> None:
    with unit_of_work(runtime) as unit:
        connections.register_worker(unit.db, runtime.worker_id, unit.now)


def socketio_of(app: Flask) -> SocketIO:
    return app.extensions["holdsport"].socketio  # type: ignore[no-any-return]
