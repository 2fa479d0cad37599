"""Compressed answers: brotli or gzip, as the client's Accept-Encoding asks.

What is compressed here is what is the same for everyone and revalidated by a strong ETag
from its content (`server.core.http.revalidated`: the shell, the catalogs, the library).
Answers that carry a secret (tokens, CSRF tokens) stay as they are: a secret compressed
beside text another site can influence leaks through the length (BREACH), and they are
small. A compressed answer keeps its ETag as a weak one, so a repeat load's
If-None-Match still finds it unchanged (Werkzeug compares weakly), and its compressed body
is kept for the next client. The built client is stored compressed already
(server/web/assets.py) and passes untouched.
"""

from __future__ import annotations

import gzip

import brotli
from flask import Flask, Response, request
from werkzeug.datastructures import Accept

COMPRESSIBLE = {
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/css",
    "text/html",
    "text/javascript",
    "text/markdown",
    "text/plain",
}
# Below this a compressed body saves less than its extra header costs.
MIN_BYTES = 512
PREFERENCE = ("br", "gzip")  # brotli is the smaller, when both are equally welcome
KEPT_BODIES = 64


def preferred_encoding(accepted: Accept, available: tuple[str, ...] = PREFERENCE) -> str | None:
    """The coding of `available` the client takes most gladly (q > 0), or None."""
    best = max(available, key=lambda coding: accepted.quality(coding), default=None)
    return best if best is not None and accepted.quality(best) > 0 else None


def encode(body: bytes, encoding: str, best: bool = False) -> bytes:
    """body in a content coding; `best` spends the time a build can afford, else a
    level fast enough for every request."""
    if encoding == "br":
        return bytes(brotli.compress(body, quality=11 if best else 5))
    return gzip.compress(body, compresslevel=9 if best else 6, mtime=0)


_kept: dict[tuple[str, str], bytes] = {}  # (strong ETag, coding) -> compressed body


def _compressed(body: bytes, encoding: str, etag: str) -> bytes:
    key = (etag, encoding)
    if key not in _kept:
        if len(_kept) >= KEPT_BODIES:
            _kept.clear()
        _kept[key] = encode(body, encoding)
    return _kept[key]


def compress(response: Response) -> Response:
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    etag, weak = response.get_etag()
    if (
        etag is None
        or weak
        or response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
    ):
        return response
    encoding = preferred_encoding(request.accept_encodings)
    body = response.get_data()
    if encoding is None or len(body) < MIN_BYTES:
        return response
    response.set_data(_compressed(body, encoding, etag))
    response.headers["Content-Encoding"] = encoding
    response.set_etag(etag, weak=True)
    return response


def install(app: Flask) -> None:
    app.after_request(compress)
