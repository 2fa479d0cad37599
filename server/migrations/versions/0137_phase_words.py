"""A phase with presenters can carry its format's own words for itself (peer feedback is
no dilemma round): server/agenda/models.py Phase.words.

Revision ID: 0137
Revises: 0136
Create Date: 2026-11-30 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0137"
down_revision = "0136"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("phases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("words", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("phases", schema=None) as batch_op:
        batch_op.drop_column("words")
