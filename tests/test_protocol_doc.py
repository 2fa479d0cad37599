"""docs/protocol.md is a contract: its tables must say what the server does."""

from __future__ import annotations

from pathlib import Path

from server.app import create_app  # noqa: F401  (importing declares every command)
from server.core.domain import EVENTS, Role
from server.core.errors import MESSAGES
from server.core.realtime import COMMANDS

DOC = (Path(__file__).resolve().parents[1] / "docs" / "protocol.md").read_text()
ROLE_LETTERS = {
    "F": Role.FACILITATOR,
    "C": Role.COFACILITATOR,
    "P": Role.PARTICIPANT,
    "D": Role.DISPLAY,
    "W": Role.WAITING,
}


def table_rows(heading: str) -> list[list[str]]:
    section = DOC.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def test_every_command_is_documented_with_its_roles(app):
    documented = {}
    for cells in table_rows("## 5. Commands"):
        name = cells[0].strip("`")
        documented[name] = frozenset(ROLE_LETTERS[letter] for letter in cells[1].split())
    assert documented == {name: cmd.roles for name, cmd in COMMANDS.items()}


def test_every_error_code_is_documented():
    documented = {cells[0].strip("`") for cells in table_rows("## 6. Error codes")}
    assert documented == set(MESSAGES)


def test_every_event_the_server_emits_is_documented(app):
    documented = {cells[0].strip("`") for cells in table_rows("## 4. Events")}
    assert documented == EVENTS
