"""The job queue behind one small interface: Huey on SQLite (embedded) or Redis (at scale)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

from deepfakesweb.config import ConfigError

__all__ = ["JobQueue", "HueyQueue", "create_queue"]


class JobQueue(Protocol):
    def enqueue_video(self, video_id: int) -> None: ...

    def depth(self) -> int: ...

    def ping(self) -> None: ...


class HueyQueue:
    def __init__(self, huey: Huey) -> None:
        self.huey = huey
        self._process_video: Any = None

    def register(self, process_video: Callable[[int], None],
                 periodic: dict[str, tuple[str, Callable[[], object]]]) -> None:
        """Bind the task bodies; every process that enqueues or consumes calls this once.
        `periodic` maps a name to (cron minute field, body)."""
        self._process_video = self.huey.task(name="process_video", retries=0)(process_video)
        for name, (minute, body) in periodic.items():
            self.huey.periodic_task(crontab(minute=minute), name=name)(body)

    def enqueue_video(self, video_id: int) -> None:
        if self._process_video is None:
            raise RuntimeError("queue tasks not registered")
        self._process_video(video_id)

    def depth(self) -> int:
        return int(self.huey.pending_count())

    def ping(self) -> None:
        self.huey.pending_count()

    def consumer(self, workers: int, embedded: bool = False) -> Consumer:
        """`embedded`: threads beside a server that owns the process's signals (uvicorn)."""
        kind = _EmbeddedConsumer if embedded else Consumer
        return kind(self.huey, workers=workers, worker_type="thread", periodic=True,
                    max_delay=1.0, check_worker_health=False)


class _EmbeddedConsumer(Consumer):
    def _set_signal_handlers(self) -> None:
        return None


def create_queue(url: str, name: str = "dfw") -> HueyQueue:
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = Path(parsed.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return HueyQueue(SqliteHuey(name=name, filename=str(path), results=False))
    if parsed.scheme in ("redis", "rediss"):
        return HueyQueue(RedisHuey(name=name, url=url, results=False))
    raise ConfigError(f"unsupported DFW_QUEUE_URL scheme: {parsed.scheme!r}")
