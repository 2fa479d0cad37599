"""Where waiting posts lie in the table: in a fresh random order after every change.

PostgreSQL puts a new row after the ones before it (on the last page with room) and
stamps it with its transaction (`xmin`), so a copy of the database would show the
order in which posts were written. So after each change an author makes, in that same
transaction, every post nobody has seen yet is taken out and put back in a random
order (which moves it to a new place, often a new page), and every shown post with a
waiting edit or delete is rewritten in a random order. Their places in the table and
their `xmin` then say nothing about which came first. Publishing rewrites posts in id
order, which is random too. SQLite keeps posts in the order of their random ids
(WITHOUT ROWID), so there this moves nothing; it costs little and keeps one code path.
"""

from __future__ import annotations

import random
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from server.board.models import Board, Post, PostAuthor

_shuffler = random.SystemRandom()


def scatter_waiting(db: Session, board: Board) -> None:
    """Call it last in a command: it rewrites rows behind the ORM's back (same values)."""
    posts = cast(Table, Post.__table__)
    authors = cast(Table, PostAuthor.__table__)
    unseen = [
        dict(row._mapping)
        for row in db.execute(
            select(posts).where(posts.c.board_id == board.id, posts.c.position.is_(None))
        )
    ]
    if unseen:
        ids = [row["id"] for row in unseen]
        # Nobody could react to or vote for these; only a named board has rows to keep.
        named = [
            dict(r._mapping) for r in db.execute(select(authors).where(authors.c.post_id.in_(ids)))
        ]
        db.execute(delete(posts).where(posts.c.id.in_(ids)))
        _shuffler.shuffle(unseen)
        db.execute(insert(posts), unseen)
        if named:
            db.execute(insert(authors), named)
    changed = list(
        db.scalars(
            select(posts.c.id).where(
                posts.c.board_id == board.id,
                posts.c.position.is_not(None),
                posts.c.deleted.is_(True) | (posts.c.text != posts.c.shown_text),
            )
        )
    )
    if changed:
        _shuffler.shuffle(changed)
        rewrite = (
            update(posts)
            .where(posts.c.id == bindparam("target"))
            .values(prompt=posts.c.prompt)  # the same values: only the row's place changes
        )
        db.execute(rewrite, [{"target": post_id} for post_id in changed])
