"""Every table, imported once so `Base.metadata` is complete (Alembic, tests)."""

from deepfakesweb.accounts.models import WebSession
from deepfakesweb.apikeys.models import ApiKey
from deepfakesweb.credits.models import EntryKind, LedgerEntry, Transaction
from deepfakesweb.db import Base
from deepfakesweb.payments.models import StripeCheckout, StripeEvent
from deepfakesweb.users.models import User
from deepfakesweb.videos.models import ACTIVE, IdempotencyRecord, Video, VideoStatus

__all__ = [
    "Base", "User", "ApiKey", "LedgerEntry", "Transaction", "EntryKind",
    "Video", "VideoStatus", "ACTIVE", "IdempotencyRecord", "WebSession", "StripeEvent", "StripeCheckout",
]
