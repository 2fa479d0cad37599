"""The board: boards, posts, clusters, reactions, votes, named authors, rate windows.

No board table has a column that names a participant or a connection, except
board_post_authors, which only a named board writes (see docs/anonymity.md).

Revision ID: 0100
Revises: 0002
Create Date: 2026-11-26 03:36:24.985268
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0100"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "board_rate_windows",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_board_rate_windows")),
    )
    with op.batch_alter_table("board_rate_windows", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_board_rate_windows_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "boards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=True),
        sa.Column("prompts", sa.JSON(), nullable=False),
        sa.Column(
            "mode",
            sa.Enum("reveal", "live", name="board_mode", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("named", sa.Boolean(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "locked", "closed", name="board_status", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("revealed", sa.Boolean(), nullable=False),
        sa.Column("published", sa.Integer(), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=True),
        sa.Column("waiting_writers", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["phase_id"], ["phases.id"], name=op.f("fk_boards_phase_id_phases"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["peer_sessions.id"], name=op.f("fk_boards_session_id_peer_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_boards")),
    )
    with op.batch_alter_table("boards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_boards_session_id"), ["session_id"], unique=False)

    op.create_table(
        "board_clusters",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["board_id"], ["boards.id"], name=op.f("fk_board_clusters_board_id_boards")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_clusters")),
    )
    with op.batch_alter_table("board_clusters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_clusters_board_id"), ["board_id"], unique=False)

    op.create_table(
        "board_votes",
        sa.Column("target_id", sa.String(length=16), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["board_id"], ["boards.id"], name=op.f("fk_board_votes_board_id_boards")
        ),
        sa.PrimaryKeyConstraint("target_id", "tag", name=op.f("pk_board_votes")),
    )
    with op.batch_alter_table("board_votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_votes_board_id"), ["board_id"], unique=False)

    op.create_table(
        "board_posts",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("prompt", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("shown_text", sa.String(length=1000), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("cluster_id", sa.String(length=16), nullable=True),
        sa.Column("me_too", sa.Integer(), nullable=False),
        sa.Column("thanks", sa.Integer(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=True),
        sa.Column("owner_tag", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["board_id"], ["boards.id"], name=op.f("fk_board_posts_board_id_boards")
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["board_clusters.id"],
            name=op.f("fk_board_posts_cluster_id_board_clusters"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_posts")),
    )
    with op.batch_alter_table("board_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_posts_board_id"), ["board_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_board_posts_cluster_id"), ["cluster_id"], unique=False)

    op.create_table(
        "board_post_authors",
        sa.Column("post_id", sa.String(length=16), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_board_post_authors_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["board_posts.id"],
            name=op.f("fk_board_post_authors_post_id_board_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_board_post_authors")),
    )
    with op.batch_alter_table("board_post_authors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_board_post_authors_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "board_reactions",
        sa.Column("post_id", sa.String(length=16), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("me_too", "thanks", name="reaction_kind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["board_posts.id"],
            name=op.f("fk_board_reactions_post_id_board_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", "tag", name=op.f("pk_board_reactions")),
    )


def downgrade() -> None:
    op.drop_table("board_reactions")
    with op.batch_alter_table("board_post_authors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_post_authors_participant_id"))

    op.drop_table("board_post_authors")
    with op.batch_alter_table("board_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_posts_cluster_id"))
        batch_op.drop_index(batch_op.f("ix_board_posts_board_id"))

    op.drop_table("board_posts")
    with op.batch_alter_table("board_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_votes_board_id"))

    op.drop_table("board_votes")
    with op.batch_alter_table("board_clusters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_clusters_board_id"))

    op.drop_table("board_clusters")
    with op.batch_alter_table("boards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_boards_session_id"))

    op.drop_table("boards")
    with op.batch_alter_table("board_rate_windows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_rate_windows_expires_at"))

    op.drop_table("board_rate_windows")
