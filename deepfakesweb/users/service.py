from __future__ import annotations

import re

from sqlalchemy.orm import Session

from deepfakesweb.errors import Conflict, NotFound, UserInputError
from deepfakesweb.users import repository
from deepfakesweb.users.models import User

__all__ = ["create_user", "require_user", "disable_user", "list_users"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def create_user(session: Session, email: str) -> User:
    if not _EMAIL.match(email.strip()):
        raise UserInputError(f"not an email address: {email!r}")
    if repository.get_by_email(session, email) is not None:
        raise Conflict(f"user already exists: {email}")
    return repository.add(session, email)


def require_user(session: Session, email: str) -> User:
    user = repository.get_by_email(session, email)
    if user is None:
        raise NotFound(f"no such user: {email}")
    return user


def disable_user(session: Session, email: str) -> User:
    user = require_user(session, email)
    user.disabled = True
    return user


def list_users(session: Session) -> list[User]:
    return repository.list_all(session)
