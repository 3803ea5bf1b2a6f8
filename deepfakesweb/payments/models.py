from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from deepfakesweb.db import Base, UTCDateTime, utcnow


class StripeEvent(Base):
    """Every webhook event handled once: a redelivery finds its id here and changes nothing."""

    __tablename__ = "stripe_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StripeCheckout(Base):
    """Links a Checkout Session (and, once paid, its PaymentIntent) to the pending transaction."""

    __tablename__ = "stripe_checkouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(String(255), unique=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    pack: Mapped[str] = mapped_column(String(40))
    payment_intent: Mapped[str | None] = mapped_column(String(255), index=True, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
