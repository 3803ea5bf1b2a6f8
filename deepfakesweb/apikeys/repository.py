from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from deepfakesweb.apikeys.models import ApiKey

__all__ = ["get_by_prefix", "add", "list_for_user"]


def get_by_prefix(session: Session, prefix: str) -> ApiKey | None:
    return session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).one_or_none()


def add(session: Session, key: ApiKey) -> ApiKey:
    session.add(key)
    session.flush()
    return key


def list_for_user(session: Session, user_id: int) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).where(ApiKey.user_id == user_id).order_by(ApiKey.id)))
