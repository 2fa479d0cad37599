"""The server's log as an operator reads it: what a person wrote or answered must never
be in it (docs/anonymity.md, "An operator with the database, the logs and the backups").
"""

from __future__ import annotations

import json
import re

from server.core import personal, tokens
from tests.support import ServerProcess


def full_log(server: ServerProcess) -> str:
    """The whole log, once the server has stopped (so every line is flushed)."""
    server.stop()
    log = server.log()
    # INFO lines reach this file (the server's own and its libraries'): were a payload
    # logged, it would be here, so an empty or silent log would prove nothing.
    assert "Holdsport is running" in log, log[-2000:]
    assert " INFO " in log or '"level": "INFO"' in log, log[-2000:]  # as text or as JSON
    return log


def identifiers(name: str, token: str, sid: str | None) -> set[str]:
    """What ties a log line to one person: their name, their credential or its stored
    hash, their socket id, and the personal key derived from their token."""
    found = {name, token, tokens.token_hash(token), personal.derive(token).hex()}
    return found | ({sid} if sid else set())


def spellings(text: str) -> set[str]:
    """A text as a log line could hold it: as is, JSON-escaped (ASCII or not), or as a
    Python repr."""
    escaped = {json.dumps(text, ensure_ascii=ascii)[1:-1] for ascii in (True, False)}
    return {text, repr(text)[1:-1], *escaped}


def numbers_pattern(values: list[int]) -> re.Pattern[str]:
    """These numbers in this order as a log line would print them: `[1, 2, 3]`, `1,2,3`,
    `(1 2 3)`, `1;2;3` or `123`, and not inside a longer number."""
    spaced = r"\W{1,4}".join(map(str, values))
    joined = "".join(map(str, values))
    return re.compile(rf"(?<!\d)(?:{spaced}|{joined})(?!\d)")


# The lines the server writes per command and per HTTP request (server/core/logs.py):
# names from fixed tables, an outcome, a duration and an id, and room for nothing else.
COMMAND_LINE = re.compile(r"command [a-z_]+:[a-z_]+ [a-z_]+ \d+\.\d ms rid=[0-9a-f]{16}")
REQUEST_LINE = re.compile(
    r"(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|OTHER) (/[\w/<>:.-]*|-) \d{3} \d+\.\d ms "
    r"rid=[\w.-]{8,64}"
)


def per_request_messages(log: str) -> list[str]:
    """The message of every per-command and per-request line of a JSON log, each checked
    to be the fixed shape and nothing more."""
    found = []
    for line in log.splitlines():
        if not line.startswith("{"):
            continue
        record = json.loads(line)
        shape = {"server.core.realtime": COMMAND_LINE, "server.requests": REQUEST_LINE}.get(
            record["logger"]
        )
        if shape is None or record["level"] != "INFO":
            continue
        if record["logger"] == "server.core.realtime" and not record["message"].startswith(
            "command "
        ):
            continue  # another of the module's lines (dropping a flooding connection)
        assert shape.fullmatch(record["message"]), record["message"]
        found.append(record["message"])
    return found
