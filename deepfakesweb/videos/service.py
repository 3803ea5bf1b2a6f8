"""Video rules: accept a job (locks, limits, credits, idempotency), read, delete, finish."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from deepfakesweb.credits import service as credits
from deepfakesweb.db import after_commit, after_rollback, lock_user_row, utcnow
from deepfakesweb.errors import InsufficientCredits, NotFound, TooManyActive, Unprocessable
from deepfakesweb.runtime import Runtime
from deepfakesweb.videos import repository
from deepfakesweb.videos.models import ACTIVE, IdempotencyRecord, Video
from deepfakesweb.videos.schemas import video_to_wire
from deepfakesweb.videos.validation import JobRequest, price

__all__ = ["Created", "create_video", "get_video", "list_videos", "delete_video", "file_key"]

NOT_FOUND = "Video not found"


@dataclass(frozen=True)
class Created:
    status_code: int
    body: dict[str, Any]


def create_video(
    session: Session, runtime: Runtime, user_id: int, job: JobRequest, idempotency_key: str | None
) -> Created:
    # The creation time in the prefix lets the orphan sweeper age objects without listing their metadata.
    prefix = f"videos/{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex}"
    image_key, video_key = f"{prefix}/input.{job.image_ext}", f"{prefix}/input.{job.video_ext}"
    # Stored before the transaction so the user lock is never held across an upload.
    after_rollback(session, lambda: runtime.storage.delete_prefix(prefix))
    runtime.storage.put_file(image_key, job.image.path)
    runtime.storage.put_file(video_key, job.video.path)
    lock_user_row(session, user_id)
    replay = _replay(session, runtime, user_id, idempotency_key, job.fingerprint)
    if replay is not None:
        runtime.storage.delete_prefix(prefix)
        return replay
    cost = price(job.duration_s, runtime.settings)
    _check_limits(session, runtime, user_id, cost)
    now = utcnow()
    video = repository.add(session, Video(
        user_id=user_id, input_image_key=image_key, input_video_key=video_key,
        multiple_faces=job.multiple_faces, mouth_mask=job.mouth_mask, credits_used=cost,
        duration_s=job.duration_s, created_at=now, updated_at=now,
    ))
    credits.debit_video(session, user_id, video.id, cost)
    body = {"data": video_to_wire(video, runtime.signer), "message": "Video processing started"}
    if idempotency_key:
        repository.add_idempotency(session, IdempotencyRecord(
            user_id=user_id, key=idempotency_key, fingerprint=job.fingerprint, video_id=video.id,
            status_code=200, body=json.dumps(body), created_at=now,
        ))
    video_id = video.id
    after_commit(session, lambda: runtime.queue.enqueue_video(video_id))
    return Created(200, body)


def _replay(session: Session, runtime: Runtime, user_id: int, key: str | None, fingerprint: str) -> Created | None:
    if not key:
        return None
    record = repository.get_idempotency(session, user_id, key)
    if record is None:
        return None
    if utcnow() - record.created_at > timedelta(seconds=runtime.settings.idempotency_ttl_s):
        session.delete(record)
        session.flush()
        return None
    if record.fingerprint != fingerprint:
        raise Unprocessable("Unprocessable request: Idempotency-Key was already used with different content")
    return Created(record.status_code, json.loads(record.body))


def _check_limits(session: Session, runtime: Runtime, user_id: int, cost: int) -> None:
    if repository.count_active(session, user_id) >= runtime.settings.max_active_videos:
        raise TooManyActive("too many videos in progress")
    if credits.balance(session, user_id) < cost:
        raise InsufficientCredits("insufficient credits")


def get_video(session: Session, user_id: int, video_id: int) -> Video:
    video = repository.get_owned(session, user_id, video_id)
    if video is None:
        raise NotFound(NOT_FOUND)
    return video


def list_videos(session: Session, user_id: int, limit: int | None, before_id: int | None) -> list[Video]:
    return repository.list_owned(session, user_id, limit, before_id)


def delete_video(session: Session, runtime: Runtime, user_id: int, video_id: int) -> None:
    """Soft delete: tombstone row, refund an unfinished job, remove every stored file after commit."""
    lock_user_row(session, user_id)
    video = repository.get_owned(session, user_id, video_id, for_update=True)
    if video is None:
        raise NotFound(NOT_FOUND)
    video.deleted_at = video.updated_at = utcnow()
    if video.status in ACTIVE:
        credits.refund_video(session, user_id, video.id, video.credits_used, "deleted before completion")
    prefix = file_prefix(video)
    after_commit(session, lambda: runtime.storage.delete_prefix(prefix))


def file_prefix(video: Video) -> str:
    return video.input_image_key.rsplit("/", 1)[0]


def file_key(video: Video, kind: str) -> str | None:
    keys = {"input_image": video.input_image_key, "input_video": video.input_video_key, "output": video.output_key}
    return keys.get(kind)
