"""Prometheus metrics, one registry per runtime (no process globals), read at scrape time."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

__all__ = ["Metrics"]


class _StateCollector(Collector):
    def __init__(self, jobs_by_status: Callable[[], dict[str, int]], queue_depth: Callable[[], int]) -> None:
        self._jobs_by_status, self._queue_depth = jobs_by_status, queue_depth

    def collect(self) -> Iterator[GaugeMetricFamily]:
        jobs = GaugeMetricFamily("dfw_jobs", "Videos by status", labels=["status"])
        for status, count in self._jobs_by_status().items():
            jobs.add_metric([status], count)
        yield jobs
        yield GaugeMetricFamily("dfw_queue_depth", "Tasks waiting in the queue", value=self._queue_depth())


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.http_latency = Histogram("dfw_http_request_seconds", "HTTP request latency",
                                      ["route", "method", "status"], registry=self.registry)
        self.rate_limited = Counter("dfw_rate_limit_rejections", "Requests refused by a rate limit",
                                    registry=self.registry)
        self.job_seconds = Histogram("dfw_job_seconds", "Video job duration", registry=self.registry,
                                     buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800))
        self.job_fps = Histogram("dfw_job_fps", "Frames per second of finished jobs", registry=self.registry,
                                 buckets=(5, 10, 20, 30, 45, 60, 90, 120, 200))

    def watch_state(self, jobs_by_status: Callable[[], dict[str, int]], queue_depth: Callable[[], int]) -> None:
        self.registry.register(_StateCollector(jobs_by_status, queue_depth))
