"""The group's pulse trend as an SVG the server draws: big type and high contrast for a
projector, labels in the reader's language, no script and no style element (the CSP
allows neither; everything is a presentation attribute). Our own few lines rather than
a chart library: one line over a fixed 1-7 axis needs no more, and adds no dependency.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from babel.dates import format_date
from babel.numbers import format_decimal

from server.core.i18n import N_, format_locale, translate
from server.pulse.service import TrendPoint

WIDTH, HEIGHT = 960, 540
LEFT, RIGHT, TOP, BOTTOM = 90, 40, 90, 90  # room for the axis labels and the title
INK, ACCENT, GRID = "#000000", "#0b4f9c", "#767676"


def _y(score: float) -> float:
    return TOP + (7 - score) / 6 * (HEIGHT - TOP - BOTTOM)


def _x(index: int, count: int) -> float:
    if count == 1:
        return (LEFT + WIDTH - RIGHT) / 2
    return LEFT + index * (WIDTH - LEFT - RIGHT) / (count - 1)


def _text(x: float, y: float, text: str, size: int, **attributes: str) -> str:
    extra = "".join(f" {name.replace('_', '-')}={quoteattr(v)}" for name, v in attributes.items())
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" font-family="sans-serif" '
        f'fill="{INK}"{extra}>{escape(text)}</text>'
    )


def trend_svg(points: list[TrendPoint], language: str) -> str:
    """The trend of the group's pulse scores (1-7, higher: safer), one point a pulse."""
    locale = format_locale(language)
    title = translate(N_("Psychological safety in the group, 1–7 (higher is safer)"), language)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        _text(LEFT, 50, title, 30, font_weight="bold"),
    ]
    for level in range(1, 8):
        y = _y(level)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.0f}" x2="{WIDTH - RIGHT}" y2="{y:.0f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(LEFT - 20, y + 9, str(level), 26, text_anchor="end"))
    if not points:
        empty = translate(N_("No pulse with a result yet."), language)
        parts.append(_text(WIDTH / 2, HEIGHT / 2, empty, 30, text_anchor="middle"))
    spots = [(_x(i, len(points)), _y(p.score)) for i, p in enumerate(points)]
    if len(spots) > 1:
        line = " ".join(f"{x:.0f},{y:.0f}" for x, y in spots)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{ACCENT}" stroke-width="6"/>')
    for (x, y), point in zip(spots, points, strict=True):
        parts.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="11" fill="{ACCENT}"/>')
        label = format_decimal(point.score, "0.0", locale=locale)
        parts.append(_text(x, y - 22, label, 28, text_anchor="middle", font_weight="bold"))
        date = format_date(point.date, "short", locale=locale)
        parts.append(_text(x, HEIGHT - BOTTOM + 44, date, 24, text_anchor="middle"))
    parts.append("</svg>")
    return "\n".join(parts)
