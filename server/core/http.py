"""HTTP plumbing: the one place that turns domain errors into JSON responses."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from server.core.errors import DATABASE_OUTAGE, DomainError, error_body
from server.core.i18n import is_language, negotiate
from server.core.logs import fields, request_id

log = logging.getLogger(__name__)

STATUS_FOR_CODE = {
    "invalid_payload": 400,
    "not_authenticated": 401,
    "forbidden": 403,
    "unknown_join_code": 404,
    "unknown_group": 404,
    "unknown_format": 404,
    "not_found": 404,
    "bad_request": 400,
    "session_ended": 409,
    "already_started": 409,
    "name_taken": 409,
    # Not a guess at a code (limits.FAILED_STATUSES): the person just has to tick it.
    "agreement_needed": 400,
    "sign_in_needed": 401,
    "wrong_credentials": 401,
    "wrong_password": 403,
    "email_taken": 409,
    "sign_up_closed": 403,
    "csrf_failed": 403,
    "unknown_invitation": 404,
    "unknown_account": 404,
    "move_code_unknown": 404,
    "move_code_used": 409,
    "move_code_expired": 410,
    "database_unavailable": 503,
}


def request_language() -> str:
    """The language a body asks for, else the browser's preference."""
    try:
        body = json_body()
    except RequestEntityTooLarge:  # too big to read: the headers still say something
        body = None
    if isinstance(body, dict) and is_language(body.get("language")):
        return str(body["language"])
    return negotiate(request.accept_languages)


def json_body() -> Any:
    """The body's JSON, or None if it has none that parses (too deeply nested included)."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


def revalidated(response: Response) -> Response:
    """response, asked for again on every load and answered 304 while unchanged: a strong
    ETag from its content, and `no-cache` (store, but check first). Only for answers the
    same for everyone: these are compressed (server/core/compression.py)."""
    response.cache_control.no_cache = True
    response.add_etag()
    response.make_conditional(request)  # changes response itself (a 304 loses its body)
    return response


def install_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(err: DomainError) -> tuple[Response, int]:
        return jsonify(err.to_wire(request_language())), STATUS_FOR_CODE.get(err.code, 400)

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException) -> ResponseReturnValue:
        if not request.path.startswith("/api/"):
            return err.get_response()
        code = "not_found" if err.code == 404 else "bad_request"
        return jsonify(error_body(code, request_language())), err.code or 400

    def _database_unavailable(err: Exception) -> ResponseReturnValue:
        route = request.url_rule.rule if request.url_rule else "-"  # never the path
        log.warning("request %s: the database is unavailable", route)
        if not request.path.startswith("/api/"):
            return "", 503  # a page: the browser shows its own, and the reload works later
        return jsonify(error_body("database_unavailable", request_language())), 503

    for outage in DATABASE_OUTAGE:
        app.register_error_handler(outage, _database_unavailable)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception) -> tuple[Response, int]:
        # The route's pattern, not the path: a path may hold a join code.
        route = request.url_rule.rule if request.url_rule else "-"
        rid = request_id()
        log.exception("request %s failed rid=%s", route, rid, extra=fields(request_id=rid))
        return jsonify(error_body("internal_error", request_language())), 500
