"""The browser client is static files; every page path serves the same shell.

The shell names the built client at fingerprinted /assets/ URLs, or in development the
sources under /static/ (server/web/assets.py). Also the catalogs as JSON: UI messages,
content texts, plural rule and locale data, revalidated by their ETag.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, request, send_from_directory

from server.content import browser_texts
from server.core.compression import preferred_encoding
from server.core.errors import MESSAGES
from server.core.http import revalidated
from server.core.i18n import browser_catalog, is_language, translate
from server.core.runtime import current_runtime
from server.web.assets import ONE_YEAR, client_files
from server.web.bundle import DEFAULT_DIRS

CLIENT_DIR = DEFAULT_DIRS.root
SOCKET_IO_DIST = CLIENT_DIR / "node_modules" / "socket.io-client" / "dist"

bp = Blueprint("web", __name__)


@bp.get("/")
@bp.get("/j/<join_code>")
@bp.get("/s/<join_code>")
@bp.get("/library")
@bp.get("/library/<format_key>")
@bp.get("/account")
@bp.get("/invite")
@bp.get("/g/<int:group_id>")
def shell(
    join_code: str | None = None, format_key: str | None = None, group_id: int | None = None
) -> Response:
    response = revalidated(Response(client_files().shell, mimetype="text/html"))
    # Credentials travel in the URL fragment: never let it leak through a Referer.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/assets/<name>")
def built_file(name: str) -> Response:
    """A file of the built client: its name holds its content's hash, so it never changes."""
    asset = client_files().assets.get(name)
    if asset is None:
        abort(404)
    encoding = preferred_encoding(request.accept_encodings) or "identity"
    response = Response(asset.bodies[encoding], content_type=asset.content_type)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True
    return response


@bp.get("/static/<path:filename>")
def static_file(filename: str) -> Response:
    """The client's sources, module by module (development): revalidated on every load."""
    return send_from_directory(CLIENT_DIR / "static", filename, max_age=0)


@bp.get("/vendor/socket.io.min.js")
def socket_io_client() -> Response:
    if not (SOCKET_IO_DIST / "socket.io.min.js").exists():
        abort(503, "socket.io-client is not installed: run npm ci --prefix client")
    return send_from_directory(SOCKET_IO_DIST, "socket.io.min.js", max_age=3600)


@bp.get("/i18n/<language>.json")
def catalog(language: str) -> Response:
    if not is_language(language):
        abort(404)
    # Content, error messages and the time zone are added here: plumbing below knows none.
    catalog = browser_catalog(language)
    return revalidated(
        jsonify(
            {
                **catalog,
                "locale": {**catalog["locale"], "time_zone": current_runtime().settings.time_zone},
                "content": browser_texts(language),
                "errors": {code: translate(text, language) for code, text in MESSAGES.items()},
            }
        )
    )


@bp.get("/api/health")
def health() -> Response:
    return jsonify({"ok": True})
