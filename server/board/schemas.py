"""Input schemas (`...Args`) for board commands. Every string is bounded."""

from __future__ import annotations

from marshmallow import fields, validate

from server.board.models import ID_LENGTH, BoardMode, ReactionKind
from server.core.validation import Args, Int, Text

MAX_PROMPTS = 6
PROMPT_LENGTH = 120
CLUSTER_NAME_LENGTH = 60
# Far above the post limit (rules.MAX_LENGTH): a longer text gets a clear `post_too_long`
# from the service, not a bare invalid_payload; this bound only stops garbage.
RAW_TEXT_LENGTH = 2000
_ID = validate.Regexp(rf"^[A-Za-z0-9_-]{{1,{ID_LENGTH}}}$")
# The browser's per-post secret: at least 32 URL-safe characters (~190 random bits).
_SECRET = validate.Regexp(r"^[A-Za-z0-9_-]{32,128}$")


def _label(max_length: int) -> Text:
    """A short name people read (a prompt, a cluster): not empty, not only spaces."""
    return Text(max_length=max_length, required=True)


def _item_id() -> fields.String:
    return fields.String(required=True, validate=_ID)


class OpenBoardArgs(Args):
    prompts = fields.List(
        _label(PROMPT_LENGTH),
        required=True,
        validate=validate.Length(min=1, max=MAX_PROMPTS),
    )
    mode = fields.String(
        load_default=BoardMode.REVEAL.value, validate=validate.OneOf([m.value for m in BoardMode])
    )
    named = fields.Boolean(load_default=False)
    threshold = Int(
        strict=False, load_default=None, allow_none=True, validate=validate.Range(2, 20)
    )


class WritePostArgs(Args):
    prompt = Int(strict=False, required=True, validate=validate.Range(0, MAX_PROMPTS - 1))
    text = Text(max_length=RAW_TEXT_LENGTH, multiline=True, required=True)
    secret = fields.String(required=True, validate=_SECRET)


# Editing and deleting: the post's secret, or none from a device of the author's that does
# not keep it (the author's key then says whose the post is, board.writing).
class EditPostArgs(Args):
    post_id = _item_id()
    secret = fields.String(load_default=None, allow_none=True, validate=_SECRET)
    text = Text(max_length=RAW_TEXT_LENGTH, multiline=True, required=True)


class DeletePostArgs(Args):
    post_id = _item_id()
    secret = fields.String(load_default=None, allow_none=True, validate=_SECRET)


class ReactArgs(Args):
    post_id = _item_id()
    kind = fields.String(
        required=True, allow_none=True, validate=validate.OneOf([k.value for k in ReactionKind])
    )


class VoteArgs(Args):
    target_id = _item_id()
    vote = fields.Boolean(required=True)


class PostArgs(Args):
    post_id = _item_id()


class RevealArgs(Args):
    # A host names a breakout group's board; a member reveals their own group's.
    group = Int(load_default=None, validate=validate.Range(min=1, max=100))


class AddClusterArgs(Args):
    name = _label(CLUSTER_NAME_LENGTH)


class RenameClusterArgs(AddClusterArgs):
    cluster_id = _item_id()


class ClusterArgs(Args):
    cluster_id = _item_id()


class MovePostArgs(Args):
    post_id = _item_id()
    cluster_id = fields.String(required=True, allow_none=True, validate=_ID)
