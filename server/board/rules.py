"""The board's limits and the shape of a post's text, in one place (docs/protocol.md §7)."""

from __future__ import annotations

import unicodedata

from server.core.errors import DomainError

DEFAULT_THRESHOLD = 3  # people present, and posts needed for a reveal
MAX_LENGTH = 280  # characters in a post
MAX_POSTS = 10  # posts per person per board
VOTES = 3  # votes per person per board
# In live mode (and after a reveal) what people write, edit or delete is published in
# shuffled batches, once at least this many different people have something waiting.
BATCH_SIZE = 3
# Others learn the count of posts at most once per window of this many seconds of the
# server's clock, never at the moment someone writes (counting.py).
COUNT_SECONDS = 10
RATE_LIMIT = 20  # board commands per connection per window
RATE_WINDOW_SECONDS = 10

LIMITS = {
    "max_length": MAX_LENGTH,
    "max_posts": MAX_POSTS,
    "votes": VOTES,
    "batch_size": BATCH_SIZE,
}


def clean_text(raw: str) -> str:
    """Plain text as people type it: NFC (so å is one letter), no control characters.

    Nothing is escaped here: HTML stays as typed and every client shows it as text.
    """
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    text = text.strip()
    if not text:
        raise DomainError("invalid_payload", fields=["text"])
    if len(text) > MAX_LENGTH:
        raise DomainError("post_too_long", max=MAX_LENGTH)
    return text
