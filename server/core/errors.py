"""Domain errors: a code and parameters on the wire, a message in the reader's language."""

from __future__ import annotations

from typing import Any

from server.core.i18n import N_, translate

# Every error code the server can answer with; docs/protocol.md lists the same table.
MESSAGES: dict[str, str] = {
    "invalid_payload": N_("Some fields are missing or invalid: %(fields)s."),
    "unknown_join_code": N_("No session has that join code. Check the code and try again."),
    "session_ended": N_("This session has ended."),
    "not_authenticated": N_("Your link or credentials are not valid for this session."),
    "forbidden": N_("Your role in this session does not allow that."),
    "already_started": N_("The session has already started."),
    "unknown_group": N_("That peer group does not exist, or the group key is wrong."),
    "unknown_format": N_("No session format has that key."),
    "not_found": N_("There is nothing at this address."),
    "bad_request": N_("The server could not understand this request."),
    "internal_error": N_("Something went wrong on the server. Nothing was changed."),
}


class DomainError(Exception):
    """A rule said no. Nothing was changed; the caller is told why by `code`."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"undeclared error code {code!r}")
        super().__init__(code)
        self.code = code
        self.params = params

    def to_wire(self, language: str) -> dict[str, Any]:
        return error_body(self.code, language, **self.params)


def error_body(code: str, language: str, **params: Any) -> dict[str, Any]:
    message = translate(MESSAGES[code], language)
    if params:
        message = message % {key: _as_text(value) for key, value in params.items()}
    return {"ok": False, "error": {"code": code, "message": message, "params": params}}


def _as_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)
