"""The only place payments SQL runs: processed webhook events and checkout sessions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from deepfakesweb.payments.models import StripeCheckout, StripeEvent

__all__ = ["add_checkout", "get_checkout", "get_checkout_by_intent", "get_checkout_by_transaction",
           "has_event", "add_event"]


def add_checkout(session: Session, checkout: StripeCheckout) -> StripeCheckout:
    session.add(checkout)
    session.flush()
    return checkout


def get_checkout(session: Session, session_id: str) -> StripeCheckout | None:
    return session.scalars(select(StripeCheckout).where(StripeCheckout.session_id == session_id)).one_or_none()


def get_checkout_by_intent(session: Session, payment_intent: str) -> StripeCheckout | None:
    query = select(StripeCheckout).where(StripeCheckout.payment_intent == payment_intent)
    return session.scalars(query).first()


def get_checkout_by_transaction(session: Session, transaction_id: int) -> StripeCheckout | None:
    query = select(StripeCheckout).where(StripeCheckout.transaction_id == transaction_id)
    return session.scalars(query).one_or_none()


def has_event(session: Session, event_id: str) -> bool:
    return session.scalar(select(StripeEvent.id).where(StripeEvent.event_id == event_id)) is not None


def add_event(session: Session, event: StripeEvent) -> None:
    session.add(event)
    session.flush()
