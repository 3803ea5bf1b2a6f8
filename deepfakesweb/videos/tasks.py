"""Queue task bodies. Each takes an id, re-loads the row, and is safe to run twice."""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from deepfakesweb import engine
from deepfakesweb.credits import service as credits
from deepfakesweb.db import utcnow
from deepfakesweb.logs import bind, unbind
from deepfakesweb.runtime import Runtime
from deepfakesweb.videos import repository
from deepfakesweb.videos.models import VideoStatus
from deepfakesweb.videos.service import file_prefix

__all__ = [
    "register", "process_video", "reconcile", "requeue_pending", "purge_expired", "sweep_orphans", "jobs_by_status",
]

log = logging.getLogger("deepfakesweb.worker")
PROGRESS_INTERVAL_S = 1.0
CANCEL_POLL_S = 0.5


def register(runtime: Runtime) -> None:
    runtime.queue.register(
        lambda video_id: process_video(runtime, video_id),
        {"purge_expired": ("*/10", lambda: purge_expired(runtime)),
         "sweep_orphans": ("17", lambda: sweep_orphans(runtime))},
    )


def process_video(runtime: Runtime, video_id: int) -> None:
    bind(job_id=video_id)
    try:
        _process_video(runtime, video_id)
    finally:
        unbind("job_id")


def _process_video(runtime: Runtime, video_id: int) -> None:
    worker_id = runtime.settings.instance_id
    with runtime.db.unit_of_work() as session:
        now = utcnow()
        lease = timedelta(seconds=runtime.settings.lease_s)
        if not repository.claim(session, video_id, worker_id, now, now + lease):
            log.info("video %s not claimable (taken, finished or deleted)", video_id)
            return
        video = repository.reload(session, video_id)
        assert video is not None
        keys = (video.input_image_key, video.input_video_key, file_prefix(video))
        options = engine.SwapOptions(multiple_faces=video.multiple_faces, mouth_mask=video.mouth_mask,
                                     visible_watermark=runtime.settings.visible_watermark)
    _run_claimed(runtime, video_id, worker_id, keys, options)


def _run_claimed(runtime: Runtime, video_id: int, worker_id: str, keys: tuple[str, str, str],
                 options: engine.SwapOptions) -> None:
    image_key, video_key, prefix = keys
    try:
        with _JobWatcher(runtime, video_id, worker_id) as watcher, \
                tempfile.TemporaryDirectory(prefix="dfw-job-") as scratch, \
                runtime.storage.local_copy(image_key) as image, runtime.storage.local_copy(video_key) as clip:
            output = Path(scratch) / "output.mp4"
            analyser = runtime.worker_analysers.for_this_thread()
            report = engine.swap_video(image, clip, output, options, on_progress=watcher.progress,
                                       should_cancel=watcher.should_cancel, analyser=analyser)
            output_key = f"{prefix}/output.mp4"
            runtime.storage.put_file(output_key, output)
    except engine.Cancelled:
        _release_or_drop(runtime, video_id, worker_id)
        return
    except engine.EngineError as exc:
        _fail(runtime, video_id, worker_id, exc.code, exc.message)
        return
    except Exception:
        log.exception("video %s failed unexpectedly", video_id)
        _fail(runtime, video_id, worker_id, "internal", "Internal error while processing the video")
        return
    _complete(runtime, video_id, worker_id, output_key, report)


def _complete(runtime: Runtime, video_id: int, worker_id: str, output_key: str, report: engine.SwapReport) -> None:
    with runtime.db.unit_of_work() as session:
        now = utcnow()
        done = repository.finish(session, video_id, worker_id, {
            "status": VideoStatus.completed, "progress": 100, "output_key": output_key,
            "identity_score": report.identity_score, "updated_at": now, "lease_expires_at": None,
        })
    if done:
        runtime.metrics.job_seconds.observe(report.seconds)
        runtime.metrics.job_fps.observe(report.fps)
        log.info("video %s completed: %d frames at %.1f fps", video_id, report.frames, report.fps)
    else:  # deleted (or taken over) meanwhile: the output belongs to nobody
        runtime.storage.delete(output_key)
        log.info("video %s finished but was deleted or reassigned; output dropped", video_id)


def _fail(runtime: Runtime, video_id: int, worker_id: str, code: str, message: str) -> None:
    with runtime.db.unit_of_work() as session:
        done = repository.finish(session, video_id, worker_id, {
            "status": VideoStatus.failed, "error_code": code, "error_message": message,
            "updated_at": utcnow(), "lease_expires_at": None,
        })
        video = repository.reload(session, video_id) if done else None
        if video is not None:
            credits.refund_video(session, video.user_id, video.id, video.credits_used, f"failed: {code}")


def _release_or_drop(runtime: Runtime, video_id: int, worker_id: str) -> None:
    """Cancelled: a deleted video's files go; a shutdown hands the job back to the queue."""
    with runtime.db.unit_of_work(writes=True) as session:
        video = repository.reload(session, video_id)
        if video is None:
            return
        if video.deleted_at is not None:
            prefix = file_prefix(video)
        else:
            prefix = None
            repository.finish(session, video_id, worker_id, {
                "status": VideoStatus.pending, "progress": 0, "lease_expires_at": None,
                "updated_at": utcnow()})
    if prefix is not None:
        runtime.storage.delete_prefix(prefix)
    else:  # handed back on shutdown: another worker (or this one, restarted) takes it
        runtime.queue.enqueue_video(video_id)


class _JobWatcher:
    """A heartbeat thread writes progress and renews the lease; cancellation is polled from the engine."""

    def __init__(self, runtime: Runtime, video_id: int, worker_id: str) -> None:
        self.runtime, self.video_id, self.worker_id = runtime, video_id, worker_id
        self.lease = timedelta(seconds=runtime.settings.lease_s)
        self._percent = 0
        self._last_poll = 0.0
        self._cancelled = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{video_id}", daemon=True)

    def __enter__(self) -> _JobWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()

    def progress(self, done: int, total: int) -> None:
        self._percent = min(99, int(100 * done / total)) if total else 0

    def _beat(self) -> None:
        interval = min(PROGRESS_INTERVAL_S, self.lease.total_seconds() / 3)
        while not self._done.wait(interval):
            try:
                with self.runtime.db.unit_of_work() as session:
                    owned = repository.update_progress(session, self.video_id, self.worker_id, self._percent,
                                                       utcnow() + self.lease)
            except Exception:  # a missed beat is retried; the lease outlives several
                log.warning("heartbeat for video %s failed", self.video_id, exc_info=True)
                continue
            self._cancelled = self._cancelled or not owned

    def should_cancel(self) -> bool:
        if self._cancelled or self.runtime.stopping.is_set():
            return True
        now = time.monotonic()
        if now - self._last_poll >= CANCEL_POLL_S:
            self._last_poll = now
            with self.runtime.db.unit_of_work() as session:
                self._cancelled = repository.is_deleted(session, self.video_id)
        return self._cancelled


def reconcile(runtime: Runtime, every_processing: bool = False) -> int:
    """Return abandoned jobs to the queue (or fail and refund them after too many attempts)."""
    requeue: list[int] = []
    with runtime.db.unit_of_work(writes=True) as session:
        now = utcnow()
        for video in repository.list_stale_processing(session, now, every_processing):
            if video.attempts >= runtime.settings.max_attempts:
                video.status, video.error_code = VideoStatus.failed, "internal"
                video.error_message = f"Processing was interrupted {video.attempts} times"
                credits.refund_video(session, video.user_id, video.id, video.credits_used, "abandoned")
            else:
                video.status, video.progress, video.lease_expires_at = VideoStatus.pending, 0, None
                requeue.append(video.id)
            video.updated_at = now
    for video_id in requeue:
        runtime.queue.enqueue_video(video_id)
    return len(requeue)


def requeue_pending(runtime: Runtime) -> int:
    """Pending jobs may have missed the queue (a crash between commit and enqueue); claims dedupe."""
    with runtime.db.unit_of_work() as session:
        pending = repository.list_unqueued_pending(session, utcnow())
    for video_id in pending:
        runtime.queue.enqueue_video(video_id)
    return len(pending)


def purge_expired(runtime: Runtime) -> int:
    """Retention: delete inputs and outputs of finished jobs older than DFW_RETENTION_DAYS."""
    cutoff = utcnow() - timedelta(days=runtime.settings.retention_days)
    with runtime.db.unit_of_work() as session:
        expired = {video.id: file_prefix(video) for video in repository.list_expired_files(session, cutoff)}
    # Files first, then the mark: a crash in between only means deleting them again next time.
    for prefix in expired.values():
        runtime.storage.delete_prefix(prefix)
    with runtime.db.unit_of_work() as session:
        repository.mark_purged(session, list(expired), utcnow())
    return len(expired)


def jobs_by_status(runtime: Runtime) -> dict[str, int]:
    with runtime.db.unit_of_work() as session:
        return repository.count_by_status(session)


def sweep_orphans(runtime: Runtime, grace: timedelta = timedelta(hours=1)) -> int:
    """Delete stored objects no live video owns: left by a process that died between upload and commit,
    or after a commit whose file cleanup never ran. `grace` spares uploads still in flight."""
    cutoff = utcnow() - grace
    prefixes = {key.rsplit("/", 1)[0] for key in runtime.storage.iter_keys("videos/")}
    aged = [prefix for prefix in prefixes if (_prefix_time(prefix) or cutoff) <= cutoff]
    with runtime.db.unit_of_work() as session:
        owned = repository.live_prefixes(session, aged)
    orphans = [prefix for prefix in aged if prefix not in owned]
    for prefix in orphans:
        runtime.storage.delete_prefix(prefix)
    if orphans:
        log.info("swept %d orphaned object prefixes", len(orphans))
    return len(orphans)


def _prefix_time(prefix: str) -> datetime | None:
    stamp = prefix.removeprefix("videos/").split("-", 1)[0]
    try:
        return datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=utcnow().tzinfo)
    except ValueError:
        return None
