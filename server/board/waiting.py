"""What waits for the next batch, and how many different people it comes from.

A batch needs several different people (rules.BATCH_SIZE), a reveal and a live board's
first batch `threshold` of them; the server has to count people without knowing who
anyone is. So each person with something waiting has exactly one of their own posts
marked (`Post.counted`). Only that person's own commands set or move the mark: their key
recomputes which posts are theirs (tags.py), and no row says whose a post is. Nobody
else's command ever sets one, so nobody has two.

The count is the number of marked posts that really wait to be published, derived from
the posts on every read. Whatever came before (edits, deletes, hides, restores, locks,
batches), it can be too low, never too high: a mark on a post that no longer waits, or
that the facilitator hid, simply stops counting until its author's next command.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from server.board.models import Board, Post

_chooser = random.SystemRandom()


def waiting_clause() -> ColumnElement[bool]:
    """Posts the next batch would publish: new ones, and shown ones with a delete or
    (unless hidden: that edit waits for a restore) an edit."""
    changed = Post.deleted.is_(True) | (Post.hidden.is_(False) & (Post.text != Post.shown_text))
    return Post.position.is_(None) | changed


def waits(post: Post) -> bool:
    """`waiting_clause` for one loaded post."""
    return _waits(post.position, post.deleted, post.hidden, post.text, post.shown_text)


def _waits(
    position: int | None, deleted: bool, hidden: bool, text: str, shown_text: str | None
) -> bool:
    if position is None or deleted:
        return True
    return not hidden and text != shown_text


def _has_change(row: Mapping[str, Any]) -> bool:
    """Something of its author's not shown yet, published or not (a hidden post's edit)."""
    return row["position"] is None or row["deleted"] or row["text"] != row["shown_text"]


def writers_waiting(db: Session, board: Board) -> int:
    """How many different people have something the next batch would publish."""
    if board.salt is None:  # closed: the marks are gone; the count was kept at the close
        return board.waiting_writers
    query = (
        select(func.count())
        .select_from(Post)
        .where(Post.board_id == board.id, Post.counted.is_(True), waiting_clause())
    )
    return int(db.scalar(query) or 0)


def mark_own(mine: list[dict[str, Any]], touched: str | None) -> list[dict[str, Any]]:
    """After one of this person's commands, given their posts (rows recognised by their
    key, tags.py): one mark on them if they have anything waiting, none otherwise. A mark
    stays where it is while its post waits; if it has to move, it goes to the post this
    command touched, else to one chosen at random, so it says nothing about which post
    was written first. Sets `counted` in the rows; returns those whose mark changed."""
    waiting = [
        p
        for p in mine
        if _waits(p["position"], p["deleted"], p["hidden"], p["text"], p["shown_text"])
    ]
    choice = _choose(waiting, touched) or _choose([p for p in mine if _has_change(p)], touched)
    changed = []
    for post in mine:
        if post["counted"] != (post is choice):
            post["counted"] = post is choice
            changed.append(post)
    return changed


def _choose(candidates: list[dict[str, Any]], touched: str | None) -> dict[str, Any] | None:
    if not candidates:
        return None
    for post in candidates:
        if post["counted"]:
            return post
    for post in candidates:
        if post["id"] == touched:
            return post
    return _chooser.choice(candidates)
