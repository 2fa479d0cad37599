"""Board: nothing stored follows the order of writing; the count is told in coarse steps.

SQLite keeps a table's rows in rowid order, which is the order they were inserted: the
posts table becomes WITHOUT ROWID, so its rows lie in the order of their random ids.
(PostgreSQL: server/board/scatter.py rewrites waiting posts in a random order.) Boards
get the count everyone was last told, and the window of the server's clock it was told
in (docs/anonymity.md).

Revision ID: 0102
Revises: 0101
Create Date: 2026-11-30 01:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0102"
down_revision = "0101"
branch_labels = None
depends_on = None

# Rows that point at posts with ON DELETE CASCADE: SQLite empties them when the old posts
# table is dropped during the rebuild, so they are kept aside and put back.
DEPENDENTS = ("board_reactions", "board_post_authors")


def upgrade() -> None:
    with op.batch_alter_table("boards", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("count_told", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("count_told_at", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE boards SET count_told = (SELECT count(*) FROM board_posts "
        "WHERE board_posts.board_id = boards.id)"
    )
    _rebuild_posts(with_rowid=False)


def downgrade() -> None:
    _rebuild_posts(with_rowid=True)
    # Plain ALTER TABLE (SQLite 3.35+): a batch rebuild of boards would trip the posts'
    # foreign key while foreign keys are enforced.
    op.execute("ALTER TABLE boards DROP COLUMN count_told_at")
    op.execute("ALTER TABLE boards DROP COLUMN count_told")


def _rebuild_posts(*, with_rowid: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in DEPENDENTS:
        op.execute(f"CREATE TEMP TABLE kept_{table} AS SELECT * FROM {table}")
    with op.batch_alter_table(
        "board_posts", recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}
    ):
        pass
    for table in DEPENDENTS:
        op.execute(f"DELETE FROM {table}")
        op.execute(f"INSERT INTO {table} SELECT * FROM kept_{table}")
        op.execute(f"DROP TABLE kept_{table}")
