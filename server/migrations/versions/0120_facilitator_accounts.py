"""Facilitator accounts: accounts and their logins, the groups they facilitate,
invitations to co-facilitate, the passes signed-in browsers connect with; a session's
lead account, a host participant's account, the login a connection came through.
Groups lose their key (an account's groups are found through the account). Sessions
made before keep working with the tokens their facilitators already hold.

Revision ID: 0120
Revises: 0110
Create Date: 2026-11-30 03:28:53
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0120"
down_revision = "0110"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("email", name=op.f("uq_accounts_email")),
    )
    op.create_table(
        "group_facilitators",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_group_facilitators_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_group_facilitators_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "account_id", name=op.f("pk_group_facilitators")),
    )
    with op.batch_alter_table("group_facilitators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_facilitators_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "group_invitations",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_group_invitations_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_group_invitations")),
    )
    with op.batch_alter_table("group_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_invitations_group_id"), ["group_id"], unique=False
        )

    op.create_table(
        "logins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_logins_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logins")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_logins_token_hash")),
    )
    with op.batch_alter_table("logins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_logins_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_logins_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "host_passes",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("login_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["login_id"],
            ["logins.id"],
            name=op.f("fk_host_passes_login_id_logins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_host_passes_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_host_passes")),
    )
    with op.batch_alter_table("host_passes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_host_passes_login_id"), ["login_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_host_passes_participant_id"), ["participant_id"], unique=False
        )

    with op.batch_alter_table("connections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("login_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_connections_login_id"), ["login_id"], unique=False)

    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_groups_key_hash"), type_="unique")
        batch_op.drop_column("key_hash")

    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_participants_account_id"), ["account_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_participants_account_id_accounts"),
            "accounts",
            ["account_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("peer_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lead_account_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_peer_sessions_lead_account_id_accounts"),
            "accounts",
            ["lead_account_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("peer_sessions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_peer_sessions_lead_account_id_accounts"), type_="foreignkey"
        )
        batch_op.drop_column("lead_account_id")

    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_participants_account_id_accounts"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_participants_account_id"))
        batch_op.drop_column("account_id")

    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_hash", sa.VARCHAR(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_groups_key_hash"), ["key_hash"])

    with op.batch_alter_table("connections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_connections_login_id"))
        batch_op.drop_column("login_id")

    with op.batch_alter_table("host_passes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_host_passes_participant_id"))
        batch_op.drop_index(batch_op.f("ix_host_passes_login_id"))

    op.drop_table("host_passes")
    with op.batch_alter_table("logins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_logins_expires_at"))
        batch_op.drop_index(batch_op.f("ix_logins_account_id"))

    op.drop_table("logins")
    with op.batch_alter_table("group_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_invitations_group_id"))

    op.drop_table("group_invitations")
    with op.batch_alter_table("group_facilitators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_facilitators_account_id"))

    op.drop_table("group_facilitators")
    op.drop_table("accounts")
