"""The agenda a session starts with, from its format.

The content catalogue (content/, issue 5) will provide the formats; until it is wired
in, the "free" format is one open discussion.
"""

from __future__ import annotations

from server.agenda.models import PhaseKind
from server.agenda.service import PhasePlan


def plans_for(format_key: str) -> list[PhasePlan]:
    return [PhasePlan(kind=PhaseKind.DISCUSSION, planned_seconds=60 * 60)]
