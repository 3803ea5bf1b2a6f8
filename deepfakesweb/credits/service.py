"""Credit rules: an append-only ledger whose sum is the balance, never negative."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from deepfakesweb.credits import repository
from deepfakesweb.credits.models import EntryKind, LedgerEntry, Transaction
from deepfakesweb.db import lock_user_row
from deepfakesweb.errors import InsufficientCredits, UserInputError

__all__ = ["Grant", "balance", "grant", "adjust", "debit_video", "refund_video", "list_transactions"]


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
