"""The FastAPI application: routers, envelope errors, rate-limit headers, and the embedded worker."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from deepfakesweb import __version__
from deepfakesweb.api import system
from deepfakesweb.api.errors import install_error_handlers
from deepfakesweb.api.ratelimit import RateLimitHeaders
from deepfakesweb.credits import endpoints as credits
from deepfakesweb.files import endpoints as files
from deepfakesweb.logs import bind, unbind
from deepfakesweb.payments import endpoints as payments
from deepfakesweb.runtime import Runtime
from deepfakesweb.videos import endpoints as videos
from deepfakesweb.web import install as install_dashboard
from deepfakesweb.worker import EmbeddedWorker

__all__ = ["create_app"]

DESCRIPTION = (
    "Integrate deepfake technology directly into your applications. Include your API key in the "
    "`X-API-Key` header with all requests. Every output is labelled as AI-generated synthetic media; "
    "use it only with the consent of the people shown."
)


def create_app(runtime: Runtime, run_worker: bool = False) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        worker = EmbeddedWorker(runtime) if run_worker else None
        if worker:
            worker.start()
        try:
            yield
        finally:
            if worker:
                worker.stop()

    app = FastAPI(title="DeepFakesWeb API", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  openapi_url="/v1/openapi.json", docs_url="/docs", redoc_url=None)
    app.state.runtime = runtime
    install_error_handlers(app)
    for router in (credits.router, videos.router, files.router):
        app.include_router(router, prefix="/v1")
    app.include_router(system.router)
    app.include_router(payments.router)  # POST /webhooks/stripe
    install_dashboard(app, runtime)  # the web dashboard's pages and /static
    _add_latency_metric(app, runtime)
    app.add_middleware(RateLimitHeaders)
    if runtime.settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=runtime.settings.cors_origins,
                           allow_methods=["GET", "POST", "DELETE"], allow_headers=["X-API-Key", "Idempotency-Key"],
                           expose_headers=["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"])
    return app


def _add_latency_metric(app: FastAPI, runtime: Runtime) -> None:
    @app.middleware("http")
    async def observe(request: Request, call_next) -> Response:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        request_id = request.headers.get("x-request-id", "")[:64] or uuid.uuid4().hex
        bind(request_id=request_id)
        try:
            response: Response = await call_next(request)
        finally:
            unbind("request_id")
        response.headers["X-Request-ID"] = request_id
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        runtime.metrics.http_latency.labels(path, request.method, str(response.status_code)).observe(
            time.perf_counter() - started)
        return response
