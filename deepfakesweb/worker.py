"""Running the queue consumer: inside `serve` (embedded) or as `deepfakesweb worker`."""

from __future__ import annotations

import logging

from deepfakesweb.runtime import Runtime
from deepfakesweb.videos import tasks

__all__ = ["EmbeddedWorker", "recover"]

log = logging.getLogger("deepfakesweb.worker")


def recover(runtime: Runtime, every_processing: bool) -> None:
    """Jobs a crashed run left behind go back to the queue; `every_processing` when we are the only worker."""
    requeued = tasks.reconcile(runtime, every_processing=every_processing)
    pending = tasks.requeue_pending(runtime)
    if requeued or pending:
        log.info("recovered %d interrupted and %d pending jobs", requeued, pending)


class EmbeddedWorker:
    """The consumer's threads beside the API in one process; stop() releases a running job."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.consumer = runtime.queue.consumer(workers=runtime.settings.worker_threads, embedded=True)

    def start(self) -> None:
        recover(self.runtime, every_processing=True)
        self.consumer.start()

    def stop(self) -> None:
        self.runtime.stopping.set()
        self.consumer.stop(graceful=True)
