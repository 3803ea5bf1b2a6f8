"""The only place account SQL runs: browser sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from deepfakesweb.accounts.models import WebSession

__all__ = ["add_session", "get_session", "delete_session", "delete_sessions_of", "delete_expired"]


def add_session(session: Session, web_session: WebSession) -> WebSession:
    session.add(web_session)
    session.flush()
    return web_session


def get_session(session: Session, token_hash: str) -> WebSession | None:
    return session.scalars(select(WebSession).where(WebSession.token_hash == token_hash)).one_or_none()


def delete_session(session: Session, token_hash: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == token_hash))


def delete_sessions_of(session: Session, user_id: int) -> None:
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))


def delete_expired(session: Session, user_id: int, now: datetime) -> None:
    session.execute(delete(WebSession).where(WebSession.user_id == user_id, WebSession.expires_at < now))
