"""The shown order says nothing about the order of writing: statistical tests.

Each bound is set so a correct server fails it less than once in 10,000 runs, while a
server that kept the writing order (or an order close to it) fails it every time.
"""

from __future__ import annotations

from sqlalchemy import select, text

from server.board import rules, service, writing
from server.board.models import Post
from server.board.writing import Writer
from tests.board_support import make_room


def spearman(xs: list[float], ys: list[float]) -> float:
    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=values.__getitem__)
        result = [0.0] * len(values)
        for rank, index in enumerate(order):
            result[index] = float(rank)
        return result

    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    mean = (n - 1) / 2
    cov = sum((a - mean) * (b - mean) for a, b in zip(rx, ry, strict=True))
    var = sum((a - mean) ** 2 for a in rx)
    return cov / var


def many_writers(room, count: int) -> list[Writer]:
    # Distinct keys: each a person of its own, so the post limit never gets in the way.
    base = room.people[0]
    return [Writer(base.actor, f"key-{i}".encode(), f"sid-{i}") for i in range(count)]


def test_a_reveal_order_is_independent_of_the_writing_order(db, clock):
    room = make_room(db, clock, people=2)
    room.open(threshold=3)
    writers = many_writers(room, 40)
    written: list[str] = []
    for round_ in range(5):
        for writer in writers:
            clock.advance(1)
            written.append(room.post(writer, f"post {round_}-{len(written)}")[0]["id"])
    [published] = service.reveal_board(db, room.host, clock.now())
    shown = [p["id"] for p in published.payload["posts"]]
    assert sorted(shown) == sorted(written)
    writing_rank = {post_id: index for index, post_id in enumerate(written)}
    shown_ranks = [float(writing_rank[post_id]) for post_id in shown]
    # 200 posts: under independence rho ~ N(0, 1/199); |rho| > 0.28 is a 4-sigma event.
    assert abs(spearman(list(map(float, range(len(shown)))), shown_ranks)) < 0.28
    # Nor do ids (what a database shows in its index order) follow the writing order.
    by_id = sorted(written)
    assert (
        abs(spearman([float(writing_rank[i]) for i in by_id], list(map(float, range(200))))) < 0.28
    )
    positions = dict(db.execute(select(Post.id, Post.position)).all())
    assert [positions[i] for i in shown] == list(range(len(shown)))


def test_the_first_post_written_lands_anywhere_with_equal_chance(db, clock):
    room = make_room(db, clock, people=1)
    writers = many_writers(room, 4)
    boards, size = 100, 4
    counts = [0] * size
    for _ in range(boards):
        room.open(threshold=size)
        first = room.post(writers[0], "first")[0]["id"]
        for writer in writers[1:]:
            room.post(writer, "later")
        [published] = service.reveal_board(db, room.host, clock.now())
        counts[[p["id"] for p in published.payload["posts"]].index(first)] += 1
        service.close_board(db, room.host.session_id, clock.now())
        clock.advance(rules.RATE_WINDOW_SECONDS)
    expected = boards / size
    chi_square = sum((c - expected) ** 2 / expected for c in counts)
    assert chi_square < 21.1, counts  # 3 degrees of freedom: p < 0.0001


def test_live_batches_are_shuffled_too(db, clock):
    room = make_room(db, clock, people=1)
    room.open(mode="live", threshold=rules.BATCH_SIZE)
    writers = many_writers(room, 60)
    last_in_batch = 0
    for batch in range(60):
        ids = [room.post(w, "x")[0]["id"] for w in writers[batch % 20 * 3 :][: rules.BATCH_SIZE]]
        clock.advance(rules.RATE_WINDOW_SECONDS)
        [published] = service.publish_due(db, clock.now())
        shown = [p["id"] for p in published.payload["posts"]]
        assert sorted(shown) == sorted(ids)
        last_in_batch += shown[-1] == ids[-1]
    # The last written is last in its batch a third of the time (20 of 60), not always.
    assert 5 <= last_in_batch <= 40


def stored_order(database) -> tuple[list[str], set[str]]:
    """Posts as the table holds them, and the transactions that last wrote them: no ORDER
    BY, so SQLite walks its table and PostgreSQL its heap, as a copy of the file would."""
    with database.engine.connect() as connection:
        ids = list(connection.scalars(text("SELECT id FROM board_posts WHERE position IS NULL")))
        if connection.dialect.name != "postgresql":
            return ids, set()
        stamps = connection.scalars(
            text("SELECT xmin::text FROM board_posts WHERE position IS NULL")
        )
        return ids, set(stamps)


def test_the_table_holds_posts_in_no_order_of_writing(database, clock):
    """A copy of the database, taken while posts wait, does not show who wrote first."""
    with database.transaction() as db:
        room = make_room(db, clock, people=1)
        room.open(threshold=3)
    writers = many_writers(room, 100)
    written = []
    for writer in writers:  # one command, one transaction, as over the wire
        with database.transaction() as db:
            room.db = db
            clock.advance(1)
            written.append(room.post(writer, f"post {len(written)}")[0]["id"])
    stored, stamps = stored_order(database)
    assert sorted(stored) == sorted(written)
    rank = {post_id: index for index, post_id in enumerate(written)}
    # 100 posts: under independence rho ~ N(0, 1/99); |rho| > 0.4 is a 4-sigma event.
    rho = spearman(list(map(float, range(len(stored)))), [float(rank[i]) for i in stored])
    assert abs(rho) < 0.4, rho
    assert len(stamps) <= 1  # PostgreSQL: every waiting row last written by one transaction
    with database.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            ddl = connection.scalar(text("SELECT sql FROM sqlite_master WHERE name='board_posts'"))
            assert "WITHOUT ROWID" in ddl


def test_the_table_holds_waiting_edits_in_no_order_of_editing(database, clock):
    with database.transaction() as db:
        room = make_room(db, clock, people=1)
        room.open(threshold=3)
    writers = many_writers(room, 60)
    posts = []
    for writer in writers:
        with database.transaction() as db:
            room.db = db
            clock.advance(1)
            posts.append((writer, *room.post(writer, "first words")))
    with database.transaction() as db:
        service.reveal_board(db, room.host, clock.now())
    edited = []
    for writer, post, secret in posts[::2] + posts[1::2]:  # an order the ids do not have
        with database.transaction() as db:
            clock.advance(1)
            writing.edit_post(
                db, writer, post_id=post["id"], secret=secret, text="changed", now=clock.now()
            )
            edited.append(post["id"])
    with database.engine.connect() as connection:
        stored = list(
            connection.scalars(text("SELECT id FROM board_posts WHERE text <> shown_text"))
        )
        if connection.dialect.name == "postgresql":
            stamps = set(
                connection.scalars(
                    text("SELECT xmin::text FROM board_posts WHERE text <> shown_text")
                )
            )
            assert len(stamps) == 1
    rank = {post_id: index for index, post_id in enumerate(edited)}
    rho = spearman(list(map(float, range(len(stored)))), [float(rank[i]) for i in stored])
    assert abs(rho) < 0.5, rho  # 60 posts: 4 sigma is 0.52
