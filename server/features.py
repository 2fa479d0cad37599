"""The features of the house, and the one place that plugs them together.

`install()` subscribes every feature's reactions to the bus (server.core.bus) and
adds their snapshot parts; the app factory calls it, and so do domain tests, which
need the same reactions without sockets. The order matters where two features react
to one fact: presence tells the room who arrived before the agenda gives them a turn,
and actions are carried into a starting session before its agenda starts (with the
follow-up phase the agenda then adds). Breakouts forget their seats before the agenda
its phases.
(Deleting a session's rows needs no order: the sessions feature deletes its own after
telling, and the board's point at phases only with ON DELETE SET NULL.)
"""

from __future__ import annotations

import re
from pathlib import Path

from server.accounts import subscriptions as accounts
from server.actions import subscriptions as actions
from server.agenda import subscriptions as agenda
from server.board import subscriptions as board
from server.breakouts import subscriptions as breakouts
from server.core.bus import bus
from server.notebook import subscriptions as notebook
from server.presence import subscriptions as presence
from server.pulse import subscriptions as pulse
from server.sessions import subscriptions as sessions
from server.summary import subscriptions as summary


def install() -> None:
    """Idempotent: subscribing twice changes nothing."""
    features = (presence, actions, breakouts, agenda, board, pulse, notebook, summary)
    for feature in (*features, sessions, accounts):
        feature.install(bus)


def reactions_table() -> str:
    """Every cross-feature reaction, as the Markdown table docs/architecture.md shows."""
    install()
    rows = ["| fact | who reacts |", "|---|---|"]
    rows += [f"| `{fact}` | `{subscriber}` |" for fact, subscriber in bus.reactions()]
    return "\n".join(rows)


def write_reactions_table(path: Path) -> None:
    """Put the current table into a Markdown file, in place of the one it has."""
    text = path.read_text()
    table = re.compile(r"^\| fact \| who reacts \|\n(?:\|.*\|\n)+", re.MULTILINE)
    path.write_text(table.sub(lambda _: reactions_table() + "\n", text, count=1))
