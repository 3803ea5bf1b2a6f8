"""Credit rules: an append-only ledger whose sum is the balance, never negative."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from deepfakesweb.credits import repository
from deepfakesweb.credits.models import EntryKind, LedgerEntry, Transaction
from deepfakesweb.db import lock_user_row
from deepfakesweb.errors import InsufficientCredits, UserInputError

__all__ = [
    "Grant", "balance", "grant", "adjust", "debit_video", "refund_video", "list_transactions",
    "Payment", "open_purchase", "complete_purchase", "close_purchase", "refund_purchase", "get_transaction",
]

log = logging.getLogger("deepfakesweb.credits")


@dataclass(frozen=True)
class Grant:
    credits: int
    amount_cents: int = 0
    method: str = "manual"
    payment_id: str | None = None
    billing_email: str | None = None


def balance(session: Session, user_id: int) -> int:
    return repository.balance(session, user_id)


def grant(session: Session, user_id: int, purchase: Grant) -> Transaction:
    """A completed purchase: the transaction the API lists, plus its ledger credit."""
    if purchase.credits <= 0 or purchase.amount_cents < 0:
        raise UserInputError("credits must be positive and the amount not negative")
    transaction = repository.add_transaction(session, Transaction(
        user_id=user_id, amount=purchase.amount_cents, credits_purchased=purchase.credits,
        payment_method=purchase.method, payment_status="completed", payment_id=purchase.payment_id,
        billing_email=purchase.billing_email,
    ))
    repository.add_entry(session, LedgerEntry(
        user_id=user_id, delta=purchase.credits, kind=EntryKind.purchase, transaction_id=transaction.id,
    ))
    return transaction


def adjust(session: Session, user_id: int, delta: int, reason: str) -> LedgerEntry:
    lock_user_row(session, user_id)
    if delta == 0 or not reason.strip():
        raise UserInputError("an adjustment needs a non-zero delta and a reason")
    if repository.balance(session, user_id) + delta < 0:
        raise InsufficientCredits("the adjustment would take the balance below zero")
    entry = LedgerEntry(user_id=user_id, delta=delta, kind=EntryKind.adjustment, reason=reason.strip())
    return repository.add_entry(session, entry)


def debit_video(session: Session, user_id: int, video_id: int, credits: int) -> None:
    """Caller holds the user lock and has checked the balance in the same transaction."""
    entry = LedgerEntry(user_id=user_id, delta=-credits, kind=EntryKind.debit, video_id=video_id)
    repository.add_entry(session, entry)


def refund_video(session: Session, user_id: int, video_id: int, credits: int, reason: str) -> bool:
    """At most one refund per video (also enforced by a unique constraint); False if already refunded."""
    if credits <= 0 or repository.has_entry(session, video_id, EntryKind.refund):
        return False
    if not repository.has_entry(session, video_id, EntryKind.debit):
        return False
    entry = LedgerEntry(user_id=user_id, delta=credits, kind=EntryKind.refund, video_id=video_id, reason=reason)
    repository.add_entry(session, entry)
    return True


def list_transactions(session: Session, user_id: int) -> list[Transaction]:
    return repository.list_transactions(session, user_id)


@dataclass(frozen=True)
class Payment:
    """What a payment provider reports about a purchase; None leaves the stored value as it is."""

    status: str
    amount_cents: int | None = None
    billing_email: str | None = None
    promotion_code: str | None = None
    promotion_amount: int | None = None
    tracking: dict[str, str] = field(default_factory=dict)  # ga_client_id / ga_session_id


def get_transaction(session: Session, transaction_id: int) -> Transaction | None:
    return repository.get_transaction(session, transaction_id)


def open_purchase(session: Session, user_id: int, credits: int, amount_cents: int, method: str,
                  tracking: dict[str, str]) -> Transaction:
    """A `pending` transaction with no ledger movement; the provider's id is set once known."""
    return repository.add_transaction(session, Transaction(
        user_id=user_id, amount=amount_cents, credits_purchased=credits, payment_method=method,
        payment_status="pending", ga_client_id=tracking.get("ga_client_id"),
        ga_session_id=tracking.get("ga_session_id"),
    ))


def complete_purchase(session: Session, transaction: Transaction, payment: Payment) -> bool:
    """pending -> completed and one ledger credit, exactly once. Caller holds the user lock."""
    if transaction.payment_status != "pending":
        return False
    _record(transaction, payment)
    repository.add_entry(session, LedgerEntry(
        user_id=transaction.user_id, delta=transaction.credits_purchased, kind=EntryKind.purchase,
        transaction_id=transaction.id,
    ))
    return True


def close_purchase(transaction: Transaction, payment: Payment) -> bool:
    """A pending purchase that will never pay (failed, expired): its status only, no credits."""
    if transaction.payment_status != "pending":
        return False
    _record(transaction, payment)
    return True


def refund_purchase(session: Session, transaction: Transaction) -> int:
    """Status `refunded` and a debit of the purchased credits, never below zero (the shortfall is logged).
    A purchase refunded before it completed only changes status. Caller holds the user lock."""
    previous, transaction.payment_status = transaction.payment_status, "refunded"
    credited = repository.has_transaction_entry(session, transaction.id, EntryKind.purchase)
    if previous == "refunded" or not credited:
        return 0
    available = repository.balance(session, transaction.user_id)
    taken = min(transaction.credits_purchased, max(available, 0))
    if taken < transaction.credits_purchased:
        log.warning("refund of transaction %s: %s credits already spent, not recovered",
                    transaction.id, transaction.credits_purchased - taken)
    repository.add_entry(session, LedgerEntry(
        user_id=transaction.user_id, delta=-taken, kind=EntryKind.purchase_refund, transaction_id=transaction.id,
        reason="payment refunded",
    ))
    return taken


def _record(transaction: Transaction, payment: Payment) -> None:
    transaction.payment_status = payment.status
    if payment.amount_cents is not None:
        transaction.amount = payment.amount_cents
    if payment.promotion_amount is not None:
        transaction.promotion_amount = payment.promotion_amount
    transaction.billing_email = payment.billing_email or transaction.billing_email
    transaction.promotion_code = payment.promotion_code or transaction.promotion_code
    transaction.ga_client_id = payment.tracking.get("ga_client_id") or transaction.ga_client_id
    transaction.ga_session_id = payment.tracking.get("ga_session_id") or transaction.ga_session_id
