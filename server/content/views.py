"""HTTP: the content library's structure for clients (texts come with the catalogs).

Both answers carry content keys, not texts: each client shows them in its own
language from `content` in /i18n/<language>.json, and can switch without asking again.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from server.content import get_format, library
from server.content.library import format_fields, library_fields
from server.core.http import revalidated

bp = Blueprint("content", __name__, url_prefix="/api/library")


@bp.get("")
def whole_library() -> Response:
    return revalidated(jsonify({"ok": True, "library": library_fields(library())}))


@bp.get("/formats/<format_key>")
def one_format(format_key: str) -> Response:
    return revalidated(jsonify({"ok": True, "format": format_fields(get_format(format_key))}))
