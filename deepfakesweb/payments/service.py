"""Stripe purchases: Checkout Session creation, and the webhook that completes, fails or refunds them.

Every webhook event is applied at most once (its id is stored with the outcome, under the buyer's lock),
and a purchase completes at most once whatever the order or number of deliveries."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import stripe
from sqlalchemy.orm import Session

from deepfakesweb.config import Settings
from deepfakesweb.credits import service as credits
from deepfakesweb.db import Database, lock_user_row
from deepfakesweb.errors import ServiceError, UserInputError
from deepfakesweb.payments import repository
from deepfakesweb.payments.models import StripeCheckout, StripeEvent
from deepfakesweb.payments.packs import find_pack

__all__ = ["Order", "PaymentProviderError", "BadSignature", "purchases_enabled", "start_checkout",
           "handle_webhook", "TRACKING_FIELDS"]

log = logging.getLogger("deepfakesweb.payments")
TRACKING_FIELDS = ("ga_client_id", "ga_session_id")
PAID = ("paid", "no_payment_required")


class PaymentProviderError(ServiceError):
    """Stripe could not be reached or refused the request."""


class BadSignature(ServiceError):
    """The webhook payload is not signed with our secret (or is not a Stripe event)."""


@dataclass(frozen=True)
class Order:
    user_id: int
    email: str
    pack_id: str
    success_url: str
    cancel_url: str
    tracking: dict[str, str] = field(default_factory=dict)


def purchases_enabled(settings: Settings) -> bool:
    return bool(settings.stripe_secret_key and settings.stripe_webhook_secret)


def _client(settings: Settings) -> stripe.StripeClient:
    assert settings.stripe_secret_key
    base = {"api": settings.stripe_api_base} if settings.stripe_api_base else None
    return stripe.StripeClient(settings.stripe_secret_key, base_addresses=base)  # type: ignore[arg-type]


def start_checkout(session: Session, settings: Settings, order: Order) -> str:
    """Creates the Checkout Session, records the `pending` transaction; returns the URL to redirect to."""
    pack = find_pack(settings.credit_packs, order.pack_id)
    if not purchases_enabled(settings) or pack is None:
        raise UserInputError("this credit pack cannot be bought")
    params: dict[str, Any] = {
        "mode": "payment", "client_reference_id": str(order.user_id), "customer_email": order.email,
        "line_items": [{"quantity": 1, "price_data": {
            "currency": settings.stripe_currency, "unit_amount": pack.amount_cents,
            "product_data": {"name": f"{pack.label} (DeepFakesWeb)"}}}],
        "metadata": {"pack": pack.id, **order.tracking}, "allow_promotion_codes": True,
        "success_url": order.success_url, "cancel_url": order.cancel_url,
    }
    try:  # before any write, so the database is not held while Stripe answers
        created = _client(settings).v1.checkout.sessions.create(params=params)  # type: ignore[arg-type]
    except stripe.StripeError as exc:
        log.warning("stripe checkout creation failed: %s", exc)
        raise PaymentProviderError("the payment provider is unavailable; please try again later") from exc
    transaction = credits.open_purchase(session, order.user_id, pack.credits, pack.amount_cents, "stripe",
                                        order.tracking)
    transaction.payment_id = created.id
    repository.add_checkout(session, StripeCheckout(
        session_id=created.id, transaction_id=transaction.id, user_id=order.user_id, pack=pack.id))
    return str(created.url)


def handle_webhook(db: Database, settings: Settings, payload: bytes, signature: str) -> str:
    """Verifies, then applies the event once; returns what was done (for the log and the response)."""
    try:
        event = stripe.Webhook.construct_event(payload.decode("utf-8"), signature, settings.stripe_webhook_secret)
    except (ValueError, UnicodeDecodeError, stripe.SignatureVerificationError) as exc:
        raise BadSignature("invalid signature") from exc
    body = event.to_dict()
    kind, obj = str(body.get("type", "")), body.get("data", {}).get("object", {})
    owner = _find_owner(db, settings, kind, obj)
    with db.unit_of_work() as session:
        if owner is not None:
            lock_user_row(session, owner[1])
        if repository.has_event(session, event.id):
            return "duplicate"
        checkout = repository.get_checkout(session, owner[0]) if owner else None
        outcome = _apply(session, kind, obj, checkout) if checkout else "ignored"
        repository.add_event(session, StripeEvent(event_id=event.id, type=kind[:100], outcome=outcome))
    log.info("stripe event %s (%s): %s", event.id, kind, outcome)
    return outcome


def _find_owner(db: Database, settings: Settings, kind: str, obj: dict[str, Any]) -> tuple[str, int] | None:
    """(checkout session id, user id) of our purchase the event is about, if any."""
    with db.unit_of_work() as session:
        if kind.startswith("checkout.session."):
            checkout = repository.get_checkout(session, str(obj.get("id", "")))
        elif kind == "charge.refunded" and obj.get("payment_intent"):
            checkout = repository.get_checkout_by_intent(session, str(obj["payment_intent"]))
            if checkout is None:  # the refund overtook the completion event: ask Stripe which session
                checkout = repository.get_checkout(session, _session_of_intent(settings, obj["payment_intent"]))
        else:
            checkout = None
        return (checkout.session_id, checkout.user_id) if checkout else None


def _session_of_intent(settings: Settings, payment_intent: str) -> str:
    if not settings.stripe_secret_key:
        return ""
    try:
        found = _client(settings).v1.checkout.sessions.list(params={"payment_intent": payment_intent, "limit": 1})
    except stripe.StripeError as exc:
        raise PaymentProviderError("could not look up the payment") from exc
    return found.data[0].id if found.data else ""


def _apply(session: Session, kind: str, obj: dict[str, Any], checkout: StripeCheckout) -> str:
    transaction = credits.get_transaction(session, checkout.transaction_id)
    assert transaction is not None
    if kind.startswith("checkout.session.") and obj.get("payment_intent"):
        checkout.payment_intent = str(obj["payment_intent"])
    paid = kind == "checkout.session.async_payment_succeeded" or (
        kind == "checkout.session.completed" and obj.get("payment_status") in PAID)
    if paid:
        done = credits.complete_purchase(session, transaction, _payment(obj, "completed"))
        return "completed" if done else f"already {transaction.payment_status}"
    if kind == "checkout.session.completed":
        return "awaiting asynchronous payment"
    if kind in ("checkout.session.async_payment_failed", "checkout.session.expired"):
        status = "failed" if kind.endswith("failed") else "expired"
        return status if credits.close_purchase(transaction, _payment(obj, status)) else "unchanged"
    if kind == "charge.refunded":
        if not obj.get("refunded"):
            return "partial refund not applied"
        return f"refunded, {credits.refund_purchase(session, transaction)} credits taken back"
    return "ignored"


def _payment(obj: dict[str, Any], status: str) -> credits.Payment:
    details = obj.get("customer_details") or {}
    metadata = obj.get("metadata") or {}
    return credits.Payment(
        status=status, amount_cents=obj.get("amount_total"),
        billing_email=details.get("email") or obj.get("customer_email"),
        promotion_code=_promotion_code(obj),
        promotion_amount=(obj.get("total_details") or {}).get("amount_discount"),
        tracking={name: str(metadata[name])[:100] for name in TRACKING_FIELDS if metadata.get(name)},
    )


def _promotion_code(obj: dict[str, Any]) -> str | None:
    for discount in obj.get("discounts") or []:
        code = discount.get("promotion_code") or discount.get("coupon")
        if isinstance(code, dict):
            code = code.get("code") or code.get("id")
        if code:
            return str(code)[:100]
    return None
