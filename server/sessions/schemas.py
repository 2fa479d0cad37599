"""Input schemas (`...Args`) for sessions and joining."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from server.content import library
from server.core.i18n import is_language
from server.core.validation import Args, Int, Text, accepted_by

# A credential as tokens.new_token makes them (URL-safe base64), with room to spare.
TOKEN = validate.Regexp(r"^[A-Za-z0-9_-]{16,64}$")


def _text(max_length: int, required: bool = True) -> Text:
    if required:
        return Text(max_length=max_length, required=True)
    return Text(max_length=max_length, min_length=0, load_default=None, allow_none=True)


def _language(required: bool = True) -> fields.String:
    check = accepted_by(is_language, "Not a language of this server.")
    if required:
        return fields.String(required=True, validate=check)
    return fields.String(load_default=None, allow_none=True, validate=check)


class Flag(fields.Boolean):
    """JSON true or false and nothing else ("yes", 1): agreeing is said plainly."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def _is_format(key: str) -> bool:
    return key in library().formats


class CreateSessionArgs(Args):
    title = _text(120)
    language = _language()
    format_key = fields.String(
        load_default="free", validate=accepted_by(_is_format, "Not a format of the library.")
    )
    # The account's own name when not given.
    facilitator_name = _text(60, required=False)
    organisation = _text(80, required=False)
    # A new group with this name (the title if none), or a group the account facilitates.
    group_name = _text(120, required=False)
    group_id = Int(load_default=None, allow_none=True, validate=validate.Range(min=1))
    # Who lets people in: a host admits each one, or anyone with the code is in.
    admission = fields.String(load_default="host", validate=validate.OneOf(["host", "code"]))
    # A leader network across organisations: joining needs the confidentiality agreement.
    network = Flag(load_default=False)


class JoinArgs(Args):
    join_code = Text(min_length=4, max_length=16, required=True)
    display_name = _text(60)
    organisation = _text(80, required=False)
    language = _language()
    # The key this browser keeps to be the same member of the group (sessions.members).
    member_key = fields.String(load_default=None, allow_none=True, validate=TOKEN)
    # Accepts a network session's confidentiality agreement (ignored by any other session).
    agree = Flag(load_default=False)


class ConnectArgs(Args):
    token = fields.String(required=True, validate=TOKEN)
    language = _language(required=False)


class SetLanguageArgs(Args):
    language = _language()


class LocationArgs(Args):
    location = fields.String(
        required=True, allow_none=True, validate=validate.OneOf(["room", "remote"])
    )


class DeviceLinkArgs(Args):
    """The asking browser's own token: the server keeps none it could hand over."""

    token = fields.String(required=True, validate=TOKEN)


class MoveArgs(Args):
    """A move code, from the fragment of the link the other device showed."""

    code = fields.String(required=True, validate=TOKEN)


class ParticipantArgs(Args):
    participant_id = Int(required=True, validate=validate.Range(min=1))


class AdmissionArgs(Args):
    admission = fields.String(required=True, validate=validate.OneOf(["host", "code"]))


class ShowJoinArgs(Args):
    show = Flag(required=True)


class RoleArgs(Args):
    participant_id = Int(required=True, validate=validate.Range(min=1))
    role = fields.String(required=True, validate=validate.OneOf(["cofacilitator", "participant"]))


class HandOverArgs(Args):
    account_id = Int(required=True, validate=validate.Range(min=1))


class InvitationArgs(Args):
    token = fields.String(required=True, validate=TOKEN)


class PlanSessionArgs(Args):
    """The group's next session: from a format, or a copy of an earlier one's agenda."""

    title = _text(120)
    language = _language()
    format_key = fields.String(
        load_default="free", validate=accepted_by(_is_format, "Not a format of the library.")
    )
    # The join code of an earlier session of the same group, whose agenda is copied.
    agenda_from = Text(min_length=4, max_length=16, load_default=None, allow_none=True)
    planned_for = fields.AwareDateTime(load_default=None, allow_none=True)
    admission = fields.String(load_default="host", validate=validate.OneOf(["host", "code"]))
    network = Flag(load_default=False)
