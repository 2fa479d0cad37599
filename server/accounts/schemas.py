"""Input schemas for accounts."""

from __future__ import annotations

from marshmallow import fields, validate

from server.core.i18n import is_language
from server.core.validation import Args, Text, accepted_by

EMAIL = validate.Email(error="Not an e-mail address.")
# Long enough to resist guessing; long pass phrases welcome (Argon2 hashes any length).
PASSWORD = validate.Length(min=10, max=1024)


class SignUpArgs(Args):
    email = fields.String(required=True, validate=[validate.Length(max=254), EMAIL])
    display_name = Text(max_length=60, required=True)
    password = fields.String(required=True, validate=PASSWORD)
    language = fields.String(
        load_default="en", validate=accepted_by(is_language, "Not a language of this server.")
    )


class SignInArgs(Args):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class SignOutArgs(Args):
    # Every browser this account is signed in on, not only this one.
    everywhere = fields.Boolean(load_default=False)


class ChangePasswordArgs(Args):
    current = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    new = fields.String(required=True, validate=PASSWORD)


class DeleteAccountArgs(Args):
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
