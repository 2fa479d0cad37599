"""Log lines an operator can use: one per HTTP request and one per command, each with
its outcome, its duration and a request id that the error's own line (and traceback)
repeats. As text, or one JSON object a line (`HOLDSPORT_LOG_FORMAT=json`).

What people wrote and who they are never go in: a request is logged by its route's
pattern (`/api/sessions/<join_code>`), not its path, and a command by its name.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# A proxy's own id (nginx's $request_id) is kept, so its log and ours tie up; anything
# else in the header is replaced: it is the client's to write.
_FOREIGN_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Polled by proxies and orchestrators every few seconds: their lines would drown the rest.
QUIET_ROUTES = frozenset({"/api/health", "/api/ready", "/metrics"})
# Any other method a client invents is logged as OTHER: it is the client's to write too.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

log = logging.getLogger("server.requests")


def configure(log_format: str) -> None:
    """Every logger to standard error, as text or as JSON lines."""
    # No line names its thread, process or source line: each record skips looking them
    # up (the logging HOWTO's "Optimization"): a quarter of each line's cost under eventlet.
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging._srcfile = None
    handler = logging.StreamHandler()
    formatter = JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    handler.setFormatter(formatter)
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    # Alembic announces each of its plugins as it loads: nothing an operator acts on.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the record's `fields` (see
    `fields`) and, for an error, its traceback in the same line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def fields(**values: Any) -> dict[str, Any]:
    """`extra=` for a log call: these values as their own keys in a JSON line."""
    return {"fields": values}


def new_request_id() -> str:
    return secrets.token_hex(8)


def request_id() -> str:
    """This HTTP request's id (one is made if the request log did not run)."""
    if "request_id" not in g:
        g.request_id = new_request_id()
    return str(g.request_id)


def install(app: Flask) -> None:
    """A line per request the app answers (not Socket.IO's own transport requests), and
    the request id in the `X-Request-Id` response header."""
    metrics = app.extensions["holdsport"].metrics

    def _start() -> None:
        g.request_started = time.perf_counter()
        offered = request.headers.get("X-Request-Id", "")
        g.request_id = offered if _FOREIGN_ID.match(offered) else new_request_id()

    # First of all before-request functions: a limit or a size check that answers early
    # must still find the clock started.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)

    @app.after_request
    def _log(response: Response) -> Response:
        rid = request_id()
        response.headers["X-Request-Id"] = rid
        route = request.url_rule.rule if request.url_rule else "-"
        method = request.method if request.method in METHODS else "OTHER"
        metrics.http_requests.labels(route, str(response.status_code)).inc()
        ms = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        level = logging.DEBUG if route in QUIET_ROUTES else logging.INFO
        log.log(
            level,
            "%s %s %s %.1f ms rid=%s",
            method,
            route,
            response.status_code,
            ms,
            rid,
            extra=fields(
                request_id=rid,
                method=method,
                route=route,
                status=response.status_code,
                duration_ms=round(ms, 1),
            ),
        )
        return response
