from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deepfakesweb.users.models import User

__all__ = ["get_by_email", "get", "add", "list_all", "count"]


def get_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email.strip().lower())).one_or_none()


def get(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def add(session: Session, email: str) -> User:
    user = User(email=email.strip().lower())
    session.add(user)
    session.flush()
    return user


def list_all(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def count(session: Session) -> int:
    return int(session.scalar(select(func.count(User.id))) or 0)
