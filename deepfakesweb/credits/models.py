from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deepfakesweb.db import Base, UTCDateTime, utcnow


class EntryKind(enum.StrEnum):
    purchase = "purchase"
    debit = "debit"
    refund = "refund"
    adjustment = "adjustment"
    purchase_refund = "purchase_refund"  # a refunded Stripe payment takes its credits back


class LedgerEntry(Base):
    """Append-only: one row per credit movement; the balance is their sum."""

    __tablename__ = "ledger_entries"
    # One debit and one refund per video, one credit per purchase, whatever the retries.
    __table_args__ = (
        UniqueConstraint("video_id", "kind", name="uq_ledger_video_kind"),
        UniqueConstraint("transaction_id", "kind", name="uq_ledger_transaction_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    delta: Mapped[int] = mapped_column(Integer)
    kind: Mapped[EntryKind] = mapped_column(Enum(EntryKind, native_enum=False, length=20))
    video_id: Mapped[int | None] = mapped_column(ForeignKey("videos.id"), default=None)
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id"), default=None)
    reason: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Transaction(Base):
    """A purchase, shaped exactly like the seed's transaction object."""

    __tablename__ = "transactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer, default=0)
    credits_purchased: Mapped[int] = mapped_column(Integer)
    payment_method: Mapped[str] = mapped_column(String(40))
    payment_status: Mapped[str] = mapped_column(String(40))
    payment_id: Mapped[str | None] = mapped_column(String(255), unique=True, default=None)
    billing_email: Mapped[str | None] = mapped_column(String(320), default=None)
    promotion_code: Mapped[str | None] = mapped_column(String(100), default=None)
    promotion_amount: Mapped[int] = mapped_column(Integer, default=0)
    ga_client_id: Mapped[str | None] = mapped_column(String(100), default=None)
    ga_session_id: Mapped[str | None] = mapped_column(String(100), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
