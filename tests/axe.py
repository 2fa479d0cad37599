"""axe-core (from npm, client/node_modules) run in a Playwright page: WCAG 2.1 AA checks."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).resolve().parents[1] / "client" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SEVERE = {"serious", "critical"}


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The page's WCAG 2.1 A/AA violations as axe reports them. The script is evaluated over
    the DevTools protocol, which the page's Content-Security-Policy does not govern."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result: list[dict[str, Any]] = page.evaluate(
        "(tags) => axe.run(document, { runOnly: { type: 'tag', values: tags } })"
        ".then((r) => r.violations)",
        WCAG_21_AA,
    )
    return result


def severe_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """One line per serious or critical violation and element: empty when the page passes."""
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {node['target']} ({node['failureSummary']})"
        for v in axe_violations(page)
        if v["impact"] in SEVERE
        for node in v["nodes"]
    ]
