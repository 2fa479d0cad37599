"""Input schemas (`...Args`) for summary commands."""

from __future__ import annotations

from marshmallow import fields, validate

from server.core.validation import Args


class ExportArgs(Args):
    format = fields.String(required=True, validate=validate.OneOf(["markdown", "csv"]))


class KeepArgs(Args):
    keep = fields.Boolean(required=True)
