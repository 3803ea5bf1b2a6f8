"""dashboard accounts and payments: browser sessions, Stripe events and checkouts, users.deleted_at

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 21:27:48.644632
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from deepfakesweb.db.base import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stripe_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("outcome", sa.String(length=100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stripe_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_stripe_events_event_id")),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_web_sessions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_sessions_token_hash")),
    )
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "stripe_checkouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=255), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("pack", sa.String(length=40), nullable=False),
        sa.Column("payment_intent", sa.String(length=255), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["transaction_id"], ["transactions.id"],
                                name=op.f("fk_stripe_checkouts_transaction_id_transactions")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_stripe_checkouts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stripe_checkouts")),
        sa.UniqueConstraint("session_id", name=op.f("uq_stripe_checkouts_session_id")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_stripe_checkouts_transaction_id")),
    )
    with op.batch_alter_table("stripe_checkouts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stripe_checkouts_payment_intent"), ["payment_intent"], unique=False)
        batch_op.create_index(batch_op.f("ix_stripe_checkouts_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")

    with op.batch_alter_table("stripe_checkouts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stripe_checkouts_user_id"))
        batch_op.drop_index(batch_op.f("ix_stripe_checkouts_payment_intent"))

    op.drop_table("stripe_checkouts")
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_sessions_user_id"))

    op.drop_table("web_sessions")
    op.drop_table("stripe_events")
