"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from deepfakesweb.api.deps import RuntimeDep
from deepfakesweb.api.errors import ApiError, envelope

router = APIRouter(tags=["system"])


@router.get("/healthz", include_in_schema=False)
def healthz() -> JSONResponse:
    return envelope(200, "OK", {"status": "ok"})


@router.get("/readyz", include_in_schema=False)
def readyz(runtime: RuntimeDep) -> JSONResponse:
    checks: dict[str, str] = {}
    for name, probe in (("database", lambda: _ping_db(runtime)), ("queue", runtime.queue.ping),
                        ("storage", runtime.storage.ping), ("rate_limit", runtime.limits.ping)):
        try:
            probe()
            checks[name] = "ok"
        except Exception as exc:  # readiness reports every failure rather than the first
            checks[name] = f"error: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return envelope(200 if ready else 503, "Ready" if ready else "Not ready", checks)


def _ping_db(runtime: RuntimeDep) -> None:
    with runtime.db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


@router.get("/metrics", include_in_schema=False)
def metrics(runtime: RuntimeDep, authorization: Annotated[str | None, Header()] = None) -> Response:
    token = runtime.settings.metrics_token
    if token and not hmac.compare_digest(authorization or "", f"Bearer {token}"):
        raise ApiError(401, "Invalid metrics token")
    return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)
