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
_posts = cast(Table, Post.__table__)
_authors = cast(Table, PostAuthor.__table__)
# Built once, as every post written runs them (bench/command_cpu.py): only the values change.
_UNSEEN = select(_posts).where(
    _posts.c.board_id == bindparam("board_id"), _posts.c.position.is_(None)
)
_NAMED = select(_authors).where(_authors.c.post_id.in_(bindparam("ids", expanding=True)))
_TAKE_OUT = delete(_posts).where(_posts.c.id.in_(bindparam("ids", expanding=True)))
_CHANGED = select(_posts.c.id).where(
    _posts.c.board_id == bindparam("board_id"),
    _posts.c.position.is_not(None),
    _posts.c.deleted.is_(True) | (_posts.c.text != _posts.c.shown_text),
)
_REWRITE = (
    update(_posts)
    .where(_posts.c.id == bindparam("target"))
    .values(prompt=_posts.c.prompt)  # the same values: only the row's place changes
)


def scatter_waiting(db: Session, board: Board) -> None:
    """Call it last in a command: it rewrites rows behind the ORM's back (same values)."""
    unseen = [dict(row._mapping) for row in db.execute(_UNSEEN, {"board_id": board.id})]
    if unseen:
        ids = [row["id"] for row in unseen]
        # Nobody could react to or vote for these; only a named board has rows to keep.
        named = [dict(r._mapping) for r in db.execute(_NAMED, {"ids": ids})]
        db.execute(_TAKE_OUT, {"ids": ids})
        _shuffler.shuffle(unseen)
        db.execute(insert(_posts), unseen)
        if named:
            db.execute(insert(_authors), named)
    changed = list(db.scalars(_CHANGED, {"board_id": board.id}))
    if changed:
        _shuffler.shuffle(changed)
        db.execute(_REWRITE, [{"target": post_id} for post_id in changed])
