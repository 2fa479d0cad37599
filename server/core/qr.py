"""QR codes as SVG documents, made on the server (segno): no script or third party draws them."""

from __future__ import annotations

import io

import segno


def svg(text: str) -> bytes:
    """A whole SVG document (with its namespace), as an image or a parsed node needs."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=8, border=2)
    return out.getvalue()
