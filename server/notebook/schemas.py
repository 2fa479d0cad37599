"""Input schemas (`...Args`) for notebook commands. Every string is bounded."""

from __future__ import annotations

from marshmallow import fields, validate

from server.core.validation import Args, Text
from server.notebook.models import ENTRY_ID_LENGTH, NoteKind

TEXT_LENGTH = 5000  # a page of notes per entry; more entries for more
_ENTRY_ID = validate.Regexp(rf"^[A-Za-z0-9_-]{{8,{ENTRY_ID_LENGTH}}}$")


class NoteArgs(Args):
    # Named by the client (random), so a save retried after a reconnect updates, not adds.
    entry_id = fields.String(required=True, validate=_ENTRY_ID)


class WriteNoteArgs(NoteArgs):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in NoteKind]))
    # Empty is allowed: clearing a note keeps its place (delete removes it).
    text = Text(max_length=TEXT_LENGTH, min_length=0, multiline=True, required=True)
