"""Move codes: a participant continues on another device as the same person
(server/sessions/devices.py).

Revision ID: 0138
Revises: 0137
Create Date: 2026-11-30 13:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0138"
down_revision = "0137"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_moves",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("sealed_token", sa.LargeBinary(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_device_moves_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_device_moves")),
    )
    with op.batch_alter_table("device_moves", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_device_moves_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_device_moves_participant_id"), ["participant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("device_moves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_moves_participant_id"))
        batch_op.drop_index(batch_op.f("ix_device_moves_expires_at"))

    op.drop_table("device_moves")
