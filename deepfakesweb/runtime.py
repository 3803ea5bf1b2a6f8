"""The composition root: one object holding the process's backends, built from Settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from threading import Event

from deepfakesweb.api.ratelimit import RateLimits
from deepfakesweb.config import Settings
from deepfakesweb.db import Database
from deepfakesweb.db.migrate import upgrade
from deepfakesweb.engine.analyse import AnalyserPool, ThreadAnalysers
from deepfakesweb.files.signing import LinkSigner
from deepfakesweb.metrics import Metrics
from deepfakesweb.queue import HueyQueue, create_queue
from deepfakesweb.storage import Storage, create_storage

__all__ = ["Runtime", "build_runtime"]


@dataclass
class Runtime:
    settings: Settings
    db: Database
    storage: Storage
    queue: HueyQueue
    limits: RateLimits
    signer: LinkSigner
    metrics: Metrics = field(default_factory=Metrics)
    stopping: Event = field(default_factory=Event)
    # Per worker thread: face models kept across jobs, descriptor process running; closed when the worker stops
    # and, for any left, with the runtime.
    worker_analysers: ThreadAnalysers = field(default_factory=ThreadAnalysers)
    # For upload validation in request threads: a couple of loaded analysers shared by all of them.
    validation_analysers: AnalyserPool = field(default_factory=lambda: AnalyserPool(2))

    def migrate(self) -> None:
        upgrade(self.db, self.settings.data_dir)

    def close(self) -> None:
        self.worker_analysers.close()  # also those of threads outside a worker (a job run directly)
        self.db.dispose()


def build_runtime(settings: Settings) -> Runtime:
    from deepfakesweb.videos import tasks  # the task bodies need the runtime; bound once here

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    runtime = Runtime(
        settings=settings,
        db=Database(settings.resolved_database_url),
        storage=create_storage(settings),
        queue=create_queue(settings.resolved_queue_url, settings.namespace),
        limits=RateLimits(settings.rate_limit_url, settings.rate_limit, settings.unauth_rate_limit,
                          settings.namespace),
        signer=LinkSigner(settings.resolved_secret_key, settings.public_url, settings.link_ttl_s),
    )
    tasks.register(runtime)
    runtime.metrics.watch_state(lambda: tasks.jobs_by_status(runtime), runtime.queue.depth)
    return runtime
