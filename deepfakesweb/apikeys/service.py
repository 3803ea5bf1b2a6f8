"""API keys: `dfw_` + 256 random bits, stored only as a SHA-256 hash, looked up by a unique prefix."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from deepfakesweb.apikeys import repository
from deepfakesweb.apikeys.models import ApiKey
from deepfakesweb.db import utcnow
from deepfakesweb.errors import NotFound
from deepfakesweb.users import repository as users

__all__ = ["Principal", "create_key", "authenticate", "touch_last_used", "revoke_key", "list_keys", "PREFIX_LENGTH"]

KEY_PREFIX = "dfw_"
PREFIX_LENGTH = len(KEY_PREFIX) + 8
# Touch last_used_at at most this often, so reads do not all become writes.
LAST_USED_RESOLUTION = timedelta(seconds=60)
# Compared against when the prefix is unknown, so timing does not reveal which prefixes exist.
_DUMMY_HASH = hashlib.sha256(b"dfw-no-such-key").hexdigest()


@dataclass(frozen=True)
class Principal:
    user_id: int
    key_id: int
    key_prefix: str
    last_used_stale: bool = False


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(session: Session, user_id: int, name: str = "") -> tuple[ApiKey, str]:
    """Returns the row and the full key; the full key is never stored nor shown again."""
    while True:
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        if repository.get_by_prefix(session, secret[:PREFIX_LENGTH]) is None:
            break
    key = ApiKey(user_id=user_id, name=name[:100], prefix=secret[:PREFIX_LENGTH], key_hash=_hash(secret))
    return repository.add(session, key), secret


def authenticate(session: Session, secret: str, now: datetime | None = None) -> Principal | None:
    now = now or utcnow()
    key = repository.get_by_prefix(session, secret[:PREFIX_LENGTH]) if secret.startswith(KEY_PREFIX) else None
    matches = hmac.compare_digest(key.key_hash if key else _DUMMY_HASH, _hash(secret))
    if key is None or not matches or key.revoked_at is not None:
        return None
    user = users.get(session, key.user_id)
    if user is None or user.disabled:
        return None
    stale = key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION
    return Principal(user_id=key.user_id, key_id=key.id, key_prefix=key.prefix, last_used_stale=stale)


def touch_last_used(session: Session, key_id: int, now: datetime | None = None) -> None:
    """A single guarded UPDATE in its own transaction, so reads never have to become writes."""
    now = now or utcnow()
    repository.touch(session, key_id, now, now - LAST_USED_RESOLUTION)


def revoke_key(session: Session, prefix: str) -> ApiKey:
    key = repository.get_by_prefix(session, prefix)
    if key is None:
        raise NotFound(f"no such key: {prefix}")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    return key


def list_keys(session: Session, user_id: int) -> list[ApiKey]:
    return repository.list_for_user(session, user_id)
