"""The only place video SQL runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from deepfakesweb.videos.models import ACTIVE, IdempotencyRecord, Video, VideoStatus

IMAGE_EXTENSIONS = ("jpg", "png", "webp")

__all__ = [
    "add", "get_owned", "list_owned", "count_active", "get_idempotency", "add_idempotency",
    "claim", "finish", "update_progress", "reload", "list_stale_processing", "list_unqueued_pending",
    "list_expired_files", "mark_purged", "is_deleted", "count_by_status", "live_prefixes",
]


def _changed(result: Any) -> bool:
    return cast(CursorResult[Any], result).rowcount == 1


def add(session: Session, video: Video) -> Video:
    session.add(video)
    session.flush()
    return video


def get_owned(session: Session, user_id: int, video_id: int, for_update: bool = False) -> Video | None:
    query = select(Video).where(Video.id == video_id, Video.user_id == user_id, Video.deleted_at.is_(None))
    return session.scalars(query.with_for_update() if for_update else query).one_or_none()


def list_owned(session: Session, user_id: int, limit: int | None, before_id: int | None) -> list[Video]:
    query = select(Video).where(Video.user_id == user_id, Video.deleted_at.is_(None))
    if before_id is not None:
        query = query.where(Video.id < before_id)
    query = query.order_by(Video.id.desc())
    return list(session.scalars(query.limit(limit) if limit else query))


def count_active(session: Session, user_id: int) -> int:
    query = select(func.count(Video.id)).where(
        Video.user_id == user_id, Video.status.in_(ACTIVE), Video.deleted_at.is_(None))
    return int(session.scalar(query) or 0)


def get_idempotency(session: Session, user_id: int, key: str) -> IdempotencyRecord | None:
    query = select(IdempotencyRecord).where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)
    return session.scalars(query).one_or_none()


def add_idempotency(session: Session, record: IdempotencyRecord) -> None:
    session.add(record)
    session.flush()


def reload(session: Session, video_id: int) -> Video | None:
    return session.get(Video, video_id, populate_existing=True)


def claim(session: Session, video_id: int, worker_id: str, now: datetime, lease_until: datetime) -> bool:
    """Compare-and-set pending -> processing: a duplicate delivery claims nothing."""
    result = session.execute(
        update(Video)
        .where(Video.id == video_id, Video.status == VideoStatus.pending, Video.deleted_at.is_(None))
        .values(status=VideoStatus.processing, worker_id=worker_id, attempts=Video.attempts + 1,
                progress=0, updated_at=now, lease_expires_at=lease_until)
    )
    return _changed(result)


def update_progress(session: Session, video_id: int, worker_id: str, progress: int, lease_until: datetime) -> bool:
    result = session.execute(
        update(Video)
        .where(Video.id == video_id, Video.status == VideoStatus.processing, Video.worker_id == worker_id)
        .values(progress=progress, lease_expires_at=lease_until)
    )
    return _changed(result)


def finish(session: Session, video_id: int, worker_id: str, values: dict[str, object]) -> bool:
    """Compare-and-set processing -> terminal, only for the claiming worker and a live video."""
    result = session.execute(
        update(Video)
        .where(Video.id == video_id, Video.status == VideoStatus.processing,
               Video.worker_id == worker_id, Video.deleted_at.is_(None))
        .values(**values)
    )
    return _changed(result)


def is_deleted(session: Session, video_id: int) -> bool:
    return session.scalar(select(Video.deleted_at).where(Video.id == video_id)) is not None


def list_stale_processing(session: Session, now: datetime, every: bool) -> list[Video]:
    query = select(Video).where(Video.status == VideoStatus.processing, Video.deleted_at.is_(None))
    if not every:
        query = query.where(Video.lease_expires_at < now)
    # Several reconcilers may run at once: each takes the rows the others have not locked.
    return list(session.scalars(query.with_for_update(skip_locked=True)))


def list_unqueued_pending(session: Session, older_than: datetime) -> list[int]:
    query = select(Video.id).where(
        Video.status == VideoStatus.pending, Video.deleted_at.is_(None), Video.created_at < older_than)
    return list(session.scalars(query))


def list_expired_files(session: Session, older_than: datetime) -> list[Video]:
    query = select(Video).where(
        Video.files_purged_at.is_(None), Video.created_at < older_than, Video.status.not_in(ACTIVE))
    return list(session.scalars(query))


def mark_purged(session: Session, video_ids: list[int], now: datetime) -> None:
    if video_ids:
        session.execute(update(Video).where(Video.id.in_(video_ids)).values(files_purged_at=now))


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(Video.status, func.count(Video.id)).where(Video.deleted_at.is_(None))
                           .group_by(Video.status))
    counts = {status.value: 0 for status in VideoStatus}
    counts.update({status.value: int(count) for status, count in rows})
    return counts


def live_prefixes(session: Session, prefixes: list[str]) -> set[str]:
    """Those of `prefixes` whose video still exists with its files (matched on the input image's key)."""
    live: set[str] = set()
    for start in range(0, len(prefixes), 300):
        keys = [f"{prefix}/input.{ext}" for prefix in prefixes[start:start + 300] for ext in IMAGE_EXTENSIONS]
        rows = session.scalars(select(Video.input_image_key).where(
            Video.input_image_key.in_(keys), Video.deleted_at.is_(None), Video.files_purged_at.is_(None)))
        live.update(key.rsplit("/", 1)[0] for key in rows)
    return live
