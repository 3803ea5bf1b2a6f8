"""Dependencies shared by routes: the runtime, the request's unit of work, the authenticated caller."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from deepfakesweb.api.errors import ApiError
from deepfakesweb.apikeys.service import Principal, authenticate, touch_last_used
from deepfakesweb.runtime import Runtime

__all__ = ["RuntimeDep", "SessionDep", "CurrentUser", "get_runtime"]


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_session(runtime: RuntimeDep) -> Iterator[Session]:
    """Commits once after the route returns and before the response leaves; hooks run after commit."""
    with runtime.db.unit_of_work() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def current_user(request: Request, runtime: RuntimeDep) -> Principal:
    secret = request.headers.get("x-api-key", "").strip()
    principal = None
    if secret:
        # Its own short transactions: last_used_at is kept even when the request later fails.
        with runtime.db.unit_of_work() as session:
            principal = authenticate(session, secret)
        if principal is not None and principal.last_used_stale:
            with runtime.db.unit_of_work() as session:
                touch_last_used(session, principal.key_id)
    if principal is None:
        decision = runtime.limits.hit_ip(_client_ip(request))
        request.state.rate_limit = decision
        if not decision.allowed:
            runtime.metrics.rate_limited.inc()
            raise ApiError(429, "Rate limit exceeded", decision.headers())
        raise ApiError(401, "Invalid API key" if secret else "API key required")
    decision = runtime.limits.hit_key(principal.key_prefix)
    request.state.rate_limit = decision
    if not decision.allowed:
        runtime.metrics.rate_limited.inc()
        raise ApiError(429, "Rate limit exceeded", decision.headers())
    return principal


CurrentUser = Annotated[Principal, Depends(current_user)]
