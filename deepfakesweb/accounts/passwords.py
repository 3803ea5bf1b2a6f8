"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["hash_password", "verify_password", "needs_rehash", "MIN_LENGTH", "MAX_LENGTH"]

MIN_LENGTH = 8
MAX_LENGTH = 1024
_HASHER = PasswordHasher()  # stateless parameters, safe to share
# Verified against when the email is unknown, so the response time does not reveal which emails exist.
_DUMMY_HASH = _HASHER.hash("dfw-no-such-account")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)
