"""`/api/ready` for a proxy or an orchestrator, and `/metrics` for Prometheus.

Liveness (`/api/health`, server/web/views.py) says only that the process answers;
readiness says it can do its work: the database answers (and holds our schema) and,
when configured, Redis does. A failure names the dependency, never its address or the
driver's message (they may hold a host name or a user).
"""

from __future__ import annotations

import hmac
import logging

import redis
from flask import Blueprint, Response, jsonify, request
from sqlalchemy import func, select

from server.core.logs import fields
from server.core.metrics import CONTENT_TYPE_LATEST
from server.core.runtime import Runtime, current_runtime
from server.sessions.models import PeerSession, Status

# A readiness probe must answer within a proxy's own timeout, however Redis hangs.
REDIS_TIMEOUT_SECONDS = 1.0

bp = Blueprint("operations", __name__)
log = logging.getLogger(__name__)


@bp.get("/api/ready")
def ready() -> tuple[Response, int]:
    runtime = current_runtime()
    checks = {"database": _database_ok(runtime)}
    if runtime.settings.redis_url:
        checks["redis"] = _redis_ok(runtime.settings.redis_url)
    failed = sorted(name for name, ok in checks.items() if not ok)
    if failed:
        return jsonify({"ok": False, "failed": failed}), 503
    return jsonify({"ok": True}), 200


def _database_ok(runtime: Runtime) -> bool:
    try:
        # A table of ours, not `SELECT 1`: an empty, unmigrated database is not ready.
        with runtime.db.transaction() as db:
            db.scalar(select(func.count()).select_from(PeerSession).where(PeerSession.id < 0))
    except Exception as err:
        log.warning(
            "not ready: the database (%s)", type(err).__name__, extra=fields(failed="database")
        )
        return False
    return True


def _redis_ok(url: str) -> bool:
    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except Exception as err:
        log.warning("not ready: Redis (%s)", type(err).__name__, extra=fields(failed="redis"))
        return False
    finally:
        client.close()
    return True


@bp.get("/metrics")
def metrics() -> Response:
    """This process's figures, for whoever holds `HOLDSPORT_METRICS_TOKEN`; without one
    configured there is nothing here."""
    runtime = current_runtime()
    token = runtime.settings.metrics_token
    if token is None:
        return Response("not found\n", 404, mimetype="text/plain")
    offered = request.headers.get("Authorization", "")
    if not hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return Response(
            "unauthorized\n", 401, {"WWW-Authenticate": "Bearer"}, mimetype="text/plain"
        )
    try:
        with runtime.db.transaction() as db:
            running = db.scalar(
                select(func.count())
                .select_from(PeerSession)
                .where(PeerSession.status == Status.RUNNING)
            )
        runtime.metrics.sessions_running.set(running or 0)
    except Exception:  # counted as a database error; the rest of the figures still go out
        log.warning("metrics: could not count the running sessions")
    return Response(runtime.metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
