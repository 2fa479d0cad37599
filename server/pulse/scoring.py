"""A closed pulse's result, computed from its counts alone (no one's answers exist).

Each statement is scored on 1-7; a reverse statement scores 8 - x, so that higher
always means safer. A person's score is the mean of their seven scores; the group
score is the mean of those over everyone who answered. Since everyone answers every
statement, that equals the sum of all scores over (answers x statements): the counts
are enough.
"""

from __future__ import annotations

from typing import Any

from server.pulse.models import SCALE


def scored(value: int, reverse: bool) -> int:
    return 8 - value if reverse else value


def result(statements: list[dict[str, Any]], counts: dict[tuple[int, int], int]) -> dict[str, Any]:
    """{"answered", "score", "statements": [{"key", "reverse", "counts" (1..7), "mean"}]};
    `mean` is of the answers as given, `score` of the scored answers (reverse turned)."""
    rows = []
    total = 0
    answered = 0
    for index, statement in enumerate(statements):
        given = [counts.get((index, value), 0) for value in SCALE]
        n = sum(given)
        answered = max(answered, n)
        total += sum(c * scored(v, statement["reverse"]) for v, c in zip(SCALE, given, strict=True))
        mean = sum(c * v for v, c in zip(SCALE, given, strict=True)) / n if n else None
        rows.append(
            {
                "key": statement["key"],
                "reverse": statement["reverse"],
                "counts": given,
                "mean": round(mean, 2) if mean is not None else None,
            }
        )
    cells = answered * len(statements)
    score = round(total / cells, 2) if cells else None
    return {"answered": answered, "score": score, "statements": rows}
