"""The private notebook: each person's notes in a session, sealed (encrypted) at rest.

Revision ID: 0131
Revises: 0130
Create Date: 2026-11-30 06:38:44
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0131"
down_revision = "0130"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notebook_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "listening", "takeaway", "free", name="note_kind", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("phase_id", sa.Integer(), nullable=True),
        sa.Column("sealed", sa.LargeBinary(length=40000), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_notebook_entries_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["phase_id"],
            ["phases.id"],
            name=op.f("fk_notebook_entries_phase_id_phases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["peer_sessions.id"],
            name=op.f("fk_notebook_entries_session_id_peer_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notebook_entries")),
        sa.UniqueConstraint(
            "participant_id", "entry_id", name=op.f("uq_notebook_entries_participant_id")
        ),
    )
    with op.batch_alter_table("notebook_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notebook_entries_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_notebook_entries_session_id"), ["session_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notebook_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notebook_entries_session_id"))
        batch_op.drop_index(batch_op.f("ix_notebook_entries_participant_id"))
    op.drop_table("notebook_entries")
