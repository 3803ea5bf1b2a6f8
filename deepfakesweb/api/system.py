"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from deepfakesweb.api.deps import RuntimeDep
from deepfakesweb.api.errors import ApiError, envelope
from deepfakesweb.health import readiness

router = APIRouter(tags=["system"])


@router.get("/healthz", include_in_schema=False)
def healthz() -> JSONResponse:
    return envelope(200, "OK", {"status": "ok"})


@router.get("/readyz", include_in_schema=False)
def readyz(runtime: RuntimeDep) -> JSONResponse:
    checks = readiness(runtime)
    ready = all(value == "ok" for value in checks.values())
    return envelope(200 if ready else 503, "Ready" if ready else "Not ready", checks)


@router.get("/metrics", include_in_schema=False)
def metrics(runtime: RuntimeDep, authorization: Annotated[str | None, Header()] = None) -> Response:
    token = runtime.settings.metrics_token
    if token and not hmac.compare_digest(authorization or "", f"Bearer {token}"):
        raise ApiError(401, "Invalid metrics token")
    return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)
