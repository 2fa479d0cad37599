"""Agenda: phases, turns, hands, ready marks, the countdown and its history; locations.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 03:20:22.603408
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agenda_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=True),
        sa.Column("turn_id", sa.Integer(), nullable=True),
        sa.Column("step_index", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["peer_sessions.id"],
            name=op.f("fk_agenda_history_session_id_peer_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_history")),
    )
    with op.batch_alter_table("agenda_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agenda_history_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "phases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "round",
                "dilemma_round",
                "discussion",
                "board",
                "break",
                name="phase_kind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("title_key", sa.String(length=160), nullable=True),
        sa.Column("title", sa.String(length=120), nullable=True),
        sa.Column("intro_key", sa.String(length=160), nullable=True),
        sa.Column("prompts", sa.JSON(), nullable=False),
        sa.Column("planned_seconds", sa.Integer(), nullable=False),
        sa.Column(
            "advance",
            sa.Enum("auto", "manual", name="phase_advance", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("presenters", sa.Integer(), nullable=True),
        sa.Column("board_prompts", sa.JSON(), nullable=False),
        sa.Column("board_settings", sa.JSON(), nullable=False),
        sa.Column(
            "order_mode",
            sa.Enum("join", "random", "manual", name="turn_order", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("turn_seconds", sa.Integer(), nullable=True),
        sa.Column("turns_built", sa.Boolean(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"], ["peer_sessions.id"], name=op.f("fk_phases_session_id_peer_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phases")),
    )
    with op.batch_alter_table("phases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_phases_session_id"), ["session_id"], unique=False)

    op.create_table(
        "hands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_hands_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["phase_id"], ["phases.id"], name=op.f("fk_hands_phase_id_phases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hands")),
    )
    with op.batch_alter_table("hands", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hands_phase_id"), ["phase_id"], unique=False)

    op.create_table(
        "ready_marks",
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_ready_marks_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["phase_id"],
            ["phases.id"],
            name=op.f("fk_ready_marks_phase_id_phases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("phase_id", "participant_id", name=op.f("pk_ready_marks")),
    )
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("left_out", sa.String(length=16), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_turns_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["phase_id"], ["phases.id"], name=op.f("fk_turns_phase_id_phases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_turns")),
        sa.UniqueConstraint("phase_id", "participant_id", name=op.f("uq_turns_phase_id")),
    )
    with op.batch_alter_table("turns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_turns_phase_id"), ["phase_id"], unique=False)

    op.create_table(
        "agenda_clocks",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=True),
        sa.Column("turn_id", sa.Integer(), nullable=True),
        sa.Column("step_index", sa.Integer(), nullable=True),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.Column(
            "timer_status",
            sa.Enum(
                "idle",
                "running",
                "paused",
                "expired",
                name="timer_status",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("duration_seconds", sa.Float(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("remaining_seconds", sa.Float(), nullable=True),
        sa.Column("segment_started_at", sa.DateTime(), nullable=True),
        sa.Column("speaker_away", sa.Boolean(), nullable=False),
        sa.Column("alternate_locations", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["phase_id"],
            ["phases.id"],
            name=op.f("fk_agenda_clocks_phase_id_phases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["peer_sessions.id"],
            name=op.f("fk_agenda_clocks_session_id_peer_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["turn_id"],
            ["turns.id"],
            name=op.f("fk_agenda_clocks_turn_id_turns"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_agenda_clocks")),
    )
    with op.batch_alter_table("agenda_clocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_clocks_ends_at"), ["ends_at"], unique=False)

    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("location", sa.String(length=8), nullable=True))

    _give_existing_sessions_an_agenda()


def _give_existing_sessions_an_agenda() -> None:
    """Sessions made before agendas existed get the "free" one: an open discussion."""
    bind = op.get_bind()
    sessions = sa.table("peer_sessions", sa.column("id"))
    phase_columns = (
        "session_id",
        "position",
        "kind",
        "prompts",
        "planned_seconds",
        "advance",
        "steps",
        "board_prompts",
        "order_mode",
        "turns_built",
    )
    clock_columns = (
        "session_id",
        "segment",
        "finished",
        "timer_status",
        "duration_seconds",
        "speaker_away",
        "alternate_locations",
    )
    phases = sa.table("phases", *(sa.column(name) for name in phase_columns))
    clocks = sa.table("agenda_clocks", *(sa.column(name) for name in clock_columns))
    for (session_id,) in bind.execute(sa.select(sessions.c.id)).all():
        bind.execute(
            phases.insert().values(
                session_id=session_id,
                position=0,
                kind="discussion",
                prompts="[]",
                planned_seconds=3600,
                advance="manual",
                steps="[]",
                board_prompts="[]",
                order_mode="join",
                turns_built=False,
            )
        )
        bind.execute(
            clocks.insert().values(
                session_id=session_id,
                segment=0,
                finished=False,
                timer_status="idle",
                duration_seconds=0,
                speaker_away=False,
                alternate_locations=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_column("location")

    with op.batch_alter_table("agenda_clocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_clocks_ends_at"))

    op.drop_table("agenda_clocks")
    with op.batch_alter_table("turns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_turns_phase_id"))

    op.drop_table("turns")
    op.drop_table("ready_marks")
    with op.batch_alter_table("hands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hands_phase_id"))

    op.drop_table("hands")
    with op.batch_alter_table("phases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phases_session_id"))

    op.drop_table("phases")
    with op.batch_alter_table("agenda_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_history_session_id"))

    op.drop_table("agenda_history")
