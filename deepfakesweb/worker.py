"""Running the queue consumer: inside `serve` (embedded) or as `deepfakesweb worker` (standalone)."""

from __future__ import annotations

import hmac
import json
import logging
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from deepfakesweb.health import readiness
from deepfakesweb.runtime import Runtime
from deepfakesweb.videos import tasks

__all__ = ["EmbeddedWorker", "run_worker", "recover"]

log = logging.getLogger("deepfakesweb.worker")


def recover(runtime: Runtime, every_processing: bool) -> None:
    """Jobs a crashed run left behind go back to the queue; `every_processing` when we are the only worker."""
    requeued = tasks.reconcile(runtime, every_processing=every_processing)
    pending = tasks.requeue_pending(runtime)
    if requeued or pending:
        log.info("recovered %d interrupted and %d pending jobs", requeued, pending)


class _Reconciler(threading.Thread):
    """Returns jobs whose lease expired (their worker died) to the queue, every few seconds."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(name="reconciler", daemon=True)
        self.runtime, self.stopped = runtime, threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.runtime.settings.reconcile_interval_s):
            try:
                tasks.reconcile(self.runtime)
            except Exception:  # the next round retries; a reconciler must not die
                log.exception("reconcile failed")


class EmbeddedWorker:
    """The consumer's threads beside the API in one process; stop() hands a running job back."""

    def __init__(self, runtime: Runtime, workers: int | None = None) -> None:
        self.runtime = runtime
        count = workers or runtime.settings.worker_threads
        self.consumer = runtime.queue.consumer(workers=count, embedded=True)
        self.reconciler = _Reconciler(runtime)

    def start(self, every_processing: bool = True) -> None:
        recover(self.runtime, every_processing=every_processing)
        self.consumer.start()
        self.reconciler.start()

    def stop(self) -> None:
        self.runtime.stopping.set()
        self.reconciler.stopped.set()
        self.consumer.stop(graceful=True)  # joins the worker threads
        self.runtime.worker_analysers.close()


def run_worker(runtime: Runtime, concurrency: int, health_port: int | None) -> None:
    """Until SIGTERM/SIGINT: then take no new job, hand the running one back, and exit."""
    worker = EmbeddedWorker(runtime, workers=concurrency)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    health = _serve_health(runtime, health_port) if health_port else None
    worker.start(every_processing=False)
    log.info("worker %s running %d job(s) at once", runtime.settings.instance_id, concurrency)
    stop.wait()
    log.info("stopping: handing back running jobs")
    worker.stop()
    if health:
        health.shutdown()


def _serve_health(runtime: Runtime, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("0.0.0.0", port), _health_handler(runtime))
    threading.Thread(target=server.serve_forever, name="health", daemon=True).start()
    return server


def _health_handler(runtime: Runtime) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            if self.path == "/healthz":
                self._json(200, {"data": {"status": "ok"}, "message": "OK"})
            elif self.path == "/readyz":
                checks = readiness(runtime)
                ready = all(v == "ok" for v in checks.values())
                self._json(200 if ready else 503, {"data": checks, "message": "Ready" if ready else "Not ready"})
            elif self.path == "/metrics":
                self._metrics()
            else:
                self._json(404, {"data": None, "message": "Not found"})

        def _metrics(self) -> None:
            token = runtime.settings.metrics_token
            if token and not hmac.compare_digest(self.headers.get("Authorization", ""), f"Bearer {token}"):
                self._json(401, {"data": None, "message": "Invalid metrics token"})
                return
            self._send(200, generate_latest(runtime.metrics.registry), CONTENT_TYPE_LATEST)

        def _json(self, status: int, body: dict[str, Any]) -> None:
            self._send(status, json.dumps(body).encode(), "application/json")

        def _send(self, status: int, payload: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_: Any) -> None:
            return None

    return Handler
