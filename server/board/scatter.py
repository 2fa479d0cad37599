"""Where waiting posts lie in the table: in a fresh random order after every change.

PostgreSQL puts a new row after the ones before it (on the last page with room) and
stamps it with its transaction (`xmin`), so a copy of the database would show the
order in which posts were written. So after each change an author makes, in that same
transaction, every post nobody has seen yet is taken out and put back in a random
order (which moves it to a new place, often a new page), and every shown post with a
waiting edit or delete is rewritten in a random order. Their places in the table and
their `xmin` then say nothing about which came first. Publishing rewrites posts in id
order, which is random too. SQLite keeps posts in the order of their random ids
(WITHOUT ROWID), so there this moves nothing; it keeps one code path, at a cost that
grows with the posts nobody has seen (most of a post's cost on a full board).
"""

from __future__ import annotations

import functools
import operator
import os
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Dialect, Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from server.board.models import Post, PostAuthor
from server.board.state import BoardRow

_posts = cast(Table, Post.__table__)
_authors = cast(Table, PostAuthor.__table__)
# Built once, as every post written runs them (bench/command_cpu.py): only the values change.
_BOARD_POSTS = select(_posts).where(_posts.c.board_id == bindparam("board_id"))
_UNSEEN = (_posts.c.board_id == bindparam("board_id")) & _posts.c.position.is_(None)
_NAMED = select(_authors).join(_posts, _posts.c.id == _authors.c.post_id).where(_UNSEEN)
_TAKE_OUT = delete(_posts).where(_UNSEEN)
_PUT_BACK = insert(_posts)
_ADD_AUTHORS = insert(_authors)
# The mark's value written anew (or set): the row moves, its other values stay.
_REWRITE = (
    update(_posts).where(_posts.c.id == bindparam("target")).values(counted=bindparam("mark"))
)


def board_posts(db: Session, board_id: int) -> list[dict[str, Any]]:
    """Every post of the board, as plain rows: one read serves an author's command whole
    (which posts are theirs, their mark, what is scattered)."""
    result = db.execute(_BOARD_POSTS, {"board_id": board_id})
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.all()]


def scatter_waiting(
    db: Session,
    board: BoardRow,
    posts: list[dict[str, Any]],
    marked: list[dict[str, Any]],
    authors: list[dict[str, Any]] | None = None,
) -> None:
    """Call it last in an author's command, with the board's posts as they are to be (a
    new one among them, not written yet), those rows whose mark changed, and a named
    board's new author row: puts every unseen post (the new one too) back in a random
    order, rewrites every shown post with a waiting change in a random order, and writes
    the marks on the way. It writes rows behind the ORM's back."""
    unseen = [post for post in posts if post["position"] is None]
    if unseen:
        which = {"board_id": board.id}
        # Nobody could react to or vote for these; only a named board has rows to keep.
        named = [r._asdict() for r in db.execute(_NAMED, which)] if board.named else []
        db.execute(_TAKE_OUT, which)
        _put_back(db, _shuffled(unseen))
        if named or authors:
            db.execute(_ADD_AUTHORS, named + (authors or []))
    changed = [post for post in posts if post["position"] is not None and _changed(post)]
    moved = {post["id"] for post in unseen + changed}
    changed += [post for post in marked if post["id"] not in moved]  # a mark alone
    if changed:
        rewrites = [{"target": p["id"], "mark": p["counted"]} for p in _shuffled(changed)]
        db.execute(_REWRITE, rewrites)


def _shuffled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows in a random order: each sorted by 64 bits of the operating system's
    randomness, read at once (a tie, which would keep two rows' order, is one chance in
    2^64 per pair)."""
    noise = os.urandom(8 * len(rows))
    order = sorted(range(len(rows)), key=lambda i: noise[8 * i : 8 * i + 8])
    return [rows[i] for i in order]


def _put_back(db: Session, rows: list[dict[str, Any]]) -> None:
    """`_PUT_BACK` for every row, handed to the database driver as it is (the rows are
    as they were read, plain values), without SQLAlchemy preparing each row's parameters:
    most of the cost of a post on a full board (bench/command_cpu.py). So a post has no
    column whose type SQLAlchemy converts (tests/test_board_service.py holds it to that)."""
    connection = db.connection()
    sql, order = _put_back_sql(connection.dialect)
    connection.exec_driver_sql(sql, rows if order is None else list(map(order, rows)))


@functools.cache
def _put_back_sql(dialect: Dialect) -> tuple[str, Callable[[dict[str, Any]], Any] | None]:
    """The insert as the driver takes it, and if its parameters are positional, what
    takes a row's values in their order."""
    compiled = _PUT_BACK.compile(dialect=dialect)
    order = operator.itemgetter(*compiled.positiontup or ()) if compiled.positional else None
    return str(compiled), order


def _changed(post: dict[str, Any]) -> bool:
    """A shown post with a waiting delete or edit (hidden or not)."""
    shown = post["shown_text"]
    return bool(post["deleted"]) or (shown is not None and post["text"] != shown)
