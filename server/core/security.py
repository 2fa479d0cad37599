"""What every response says to the browser about safety, and how big a request may be.

The headers are added by a WSGI middleware around everything (Flask and Socket.IO's
long-polling answers alike), so no response goes out without them.

The Content-Security-Policy allows only this origin's own files: the client has no inline
script or style, sets styles through the CSSOM (which CSP does not restrict), and talks
to this origin only (`fetch`, Socket.IO's polling and WebSocket).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from server.config import Settings
from server.core.errors import error_body
from server.core.http import request_language

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    # Credentials travel in URL fragments: no page of ours tells another where it was.
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
# Only over TLS: a browser ignores it on plain HTTP, and a wrong one locks people out.
HSTS = ("Strict-Transport-Security", "max-age=31536000")

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class SecurityHeaders:
    """WSGI middleware: adds HEADERS (and HSTS over TLS) where a response lacks them."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        wanted = list(HEADERS)
        if environ.get("wsgi.url_scheme") == "https":
            wanted.append(HSTS)

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _ in headers}
            headers = headers + [(k, v) for k, v in wanted if k.lower() not in present]
            return start_response(status, headers, exc_info)

        # The answer itself passes untouched (a WebSocket handshake returns its own marker).
        return self.app(environ, start)


def install(app: Flask, settings: Settings) -> None:
    """Cap request bodies and wrap the app in the header middleware (and ProxyFix)."""
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes

    @app.before_request
    def _refuse_big_bodies() -> None:
        # Refused before anything reads it, whatever its content type says.
        if (request.content_length or 0) > settings.max_body_bytes:
            raise RequestEntityTooLarge()

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(err: RequestEntityTooLarge) -> ResponseReturnValue:
        if not request.path.startswith("/api/"):
            return err.get_response()
        body = error_body("payload_too_large", request_language(), max=settings.max_body_bytes)
        return jsonify(body), 413

    # Outermost last: ProxyFix must set the client's address and scheme before the
    # header middleware (HSTS) and Socket.IO (the address a connection counts under) see them.
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies
        )
