"""Account rules: sign up, password log in, browser sessions, password reset, account deletion."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from deepfakesweb.accounts import passwords, repository
from deepfakesweb.accounts.models import WebSession
from deepfakesweb.apikeys import service as apikeys
from deepfakesweb.credits import service as credits
from deepfakesweb.db import after_commit, lock_user_row, utcnow
from deepfakesweb.errors import Conflict, NotFound, UserInputError
from deepfakesweb.storage import Storage
from deepfakesweb.users import repository as users
from deepfakesweb.users import service as user_rules
from deepfakesweb.users.models import User
from deepfakesweb.videos import repository as videos
from deepfakesweb.videos.service import file_prefix

__all__ = [
    "SignedIn", "sign_up", "check_password", "start_session", "resolve_session", "end_session",
    "set_password", "delete_account", "SIGNUP_REFUSED",
]

SIGNUP_REFUSED = "This email address cannot be used to sign up. If you already have an account, log in."


@dataclass(frozen=True)
class SignedIn:
    user_id: int
    email: str
    token_hash: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_new_password(password: str) -> None:
    if not passwords.MIN_LENGTH <= len(password) <= passwords.MAX_LENGTH:
        raise UserInputError(f"the password needs at least {passwords.MIN_LENGTH} characters")


def sign_up(session: Session, email: str, password: str, accepted_terms: bool, signup_credits: int) -> User:
    if not accepted_terms:
        raise UserInputError("please accept the terms to sign up")
    _check_new_password(password)
    if users.get_by_email(session, email) is not None:
        raise Conflict(SIGNUP_REFUSED)
    user = user_rules.create_user(session, email)
    user.password_hash = passwords.hash_password(password)
    if signup_credits > 0:
        credits.grant(session, user.id, credits.Grant(credits=signup_credits, method="signup"))
    return user


def check_password(session: Session, email: str, password: str) -> User | None:
    """The user, or None for any failure (unknown email, wrong password, disabled): one generic answer."""
    user = users.get_by_email(session, email)
    valid = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not valid or user.disabled or user.deleted_at is not None:
        return None
    if user.password_hash and passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def start_session(session: Session, user_id: int, ttl_s: int) -> str:
    """A new random session token (the cookie value); only its hash is stored."""
    now = utcnow()
    repository.delete_expired(session, user_id, now)
    token = secrets.token_urlsafe(32)
    repository.add_session(session, WebSession(
        user_id=user_id, token_hash=_token_hash(token), created_at=now, expires_at=now + timedelta(seconds=ttl_s)))
    return token


def resolve_session(session: Session, token: str) -> SignedIn | None:
    row = repository.get_session(session, _token_hash(token)) if token else None
    if row is None or row.expires_at < utcnow():
        return None
    user = users.get(session, row.user_id)
    if user is None or user.disabled or user.deleted_at is not None:
        return None
    return SignedIn(user.id, user.email, row.token_hash)


def end_session(session: Session, token_hash: str) -> None:
    repository.delete_session(session, token_hash)


def set_password(session: Session, email: str, password: str) -> User:
    """Sets (or resets) a password and signs every browser of that user out."""
    _check_new_password(password)
    user = user_rules.require_user(session, email)
    user.password_hash = passwords.hash_password(password)
    repository.delete_sessions_of(session, user.id)
    return user


def delete_account(session: Session, storage: Storage, user_id: int) -> None:
    """Files removed, videos tombstoned, keys revoked, sessions ended; the user row, ledger and
    transactions stay (the accounts must still add up) but lose every personal detail."""
    lock_user_row(session, user_id)
    user = users.get(session, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound("no such user")
    now = utcnow()
    for video in videos.list_owned(session, user_id, None, None):
        video.deleted_at = video.updated_at = now
        prefix = file_prefix(video)
        after_commit(session, lambda prefix=prefix: storage.delete_prefix(prefix))  # type: ignore[misc]
    for key in apikeys.list_keys(session, user_id):
        key.revoked_at = key.revoked_at or now
    for transaction in credits.list_transactions(session, user_id):
        transaction.billing_email = transaction.ga_client_id = transaction.ga_session_id = None
    repository.delete_sessions_of(session, user_id)
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.password_hash, user.disabled, user.deleted_at = None, True, now
