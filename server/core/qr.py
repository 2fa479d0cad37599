"""QR codes as SVG documents, made on the server (segno): no script or third party draws them."""

from __future__ import annotations

import io

import segno


def svg(text: str) -> str:
    """A whole SVG document (its namespace and a viewBox, no size of its own, so it fills
    whatever box shows it), dark on white to scan on any screen."""
    out = io.BytesIO()
    code = segno.make(text, error="m")
    code.save(out, kind="svg", xmldecl=False, omitsize=True, border=2, light="#fff", svgclass="qr")
    return out.getvalue().decode()
