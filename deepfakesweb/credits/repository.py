from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deepfakesweb.credits.models import EntryKind, LedgerEntry, Transaction

__all__ = [
    "balance", "add_entry", "has_entry", "add_transaction", "list_transactions", "list_entries",
    "get_transaction", "has_transaction_entry",
]


def balance(session: Session, user_id: int) -> int:
    total = session.scalar(select(func.coalesce(func.sum(LedgerEntry.delta), 0)).where(
        LedgerEntry.user_id == user_id))
    return int(total or 0)


def add_entry(session: Session, entry: LedgerEntry) -> LedgerEntry:
    session.add(entry)
    session.flush()
    return entry


def has_entry(session: Session, video_id: int, kind: EntryKind) -> bool:
    query = select(LedgerEntry.id).where(LedgerEntry.video_id == video_id, LedgerEntry.kind == kind)
    return session.scalar(query) is not None


def list_entries(session: Session, user_id: int) -> list[LedgerEntry]:
    query = select(LedgerEntry).where(LedgerEntry.user_id == user_id).order_by(LedgerEntry.id)
    return list(session.scalars(query))


def add_transaction(session: Session, transaction: Transaction) -> Transaction:
    session.add(transaction)
    session.flush()
    return transaction


def list_transactions(session: Session, user_id: int) -> list[Transaction]:
    query = select(Transaction).where(Transaction.user_id == user_id).order_by(Transaction.id.desc())
    return list(session.scalars(query))


def get_transaction(session: Session, transaction_id: int) -> Transaction | None:
    return session.get(Transaction, transaction_id, populate_existing=True)


def has_transaction_entry(session: Session, transaction_id: int, kind: EntryKind) -> bool:
    query = select(LedgerEntry.id).where(LedgerEntry.transaction_id == transaction_id, LedgerEntry.kind == kind)
    return session.scalar(query) is not None
