"""Readiness probes shared by the API and the worker's health port."""

from __future__ import annotations

from sqlalchemy import text

from deepfakesweb.runtime import Runtime

__all__ = ["readiness"]


def readiness(runtime: Runtime) -> dict[str, str]:
    checks: dict[str, str] = {}
    for name, probe in (("database", lambda: _ping_db(runtime)), ("queue", runtime.queue.ping),
                        ("storage", runtime.storage.ping), ("rate_limit", runtime.limits.ping)):
        try:
            probe()
            checks[name] = "ok"
        except Exception as exc:  # report every failing dependency, not just the first
            checks[name] = f"error: {type(exc).__name__}"
    return checks


def _ping_db(runtime: Runtime) -> None:
    with runtime.db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
