"""Moving-window rate limits (per API key, and per client IP for failed auth) via `limits`."""

from __future__ import annotations

import math
import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from limits import parse, storage, strategies

__all__ = ["RateLimits", "Decision", "RateLimitHeaders", "moving_window"]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset: int
    retry_after: int

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


def moving_window(storage_url: str, namespace: str, purpose: str) -> strategies.MovingWindowRateLimiter:
    """A moving-window limiter whose keys, in a shared Redis, carry the deployment's namespace."""
    options = {"key_prefix": f"{namespace}-{purpose}"} if storage_url.startswith("redis") else {}
    return strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_url, **options))


class RateLimits:
    def __init__(self, storage_url: str, per_key: str, per_ip: str, namespace: str = "dfw") -> None:
        self._limiter = moving_window(storage_url, namespace, "limits")
        self._per_key = parse(per_key)
        self._per_ip = parse(per_ip)

    def hit_key(self, key_prefix: str) -> Decision:
        return self._hit(self._per_key, "key", key_prefix)

    def hit_ip(self, address: str) -> Decision:
        return self._hit(self._per_ip, "ip", address)

    def _hit(self, item: Any, scope: str, identity: str) -> Decision:
        allowed = self._limiter.hit(item, scope, identity)
        stats = self._limiter.get_window_stats(item, scope, identity)
        retry_after = max(1, min(item.get_expiry(), math.ceil(stats.reset_time - time.time())))
        return Decision(allowed, item.amount, max(0, stats.remaining), math.ceil(stats.reset_time), retry_after)

    def ping(self) -> None:
        self._limiter.storage.check()


class RateLimitHeaders:
    """ASGI middleware: puts the decision an auth dependency left in the request state on the response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            decision = scope.get("state", {}).get("rate_limit")
            if message["type"] == "http.response.start" and decision is not None:
                existing = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k.lower().encode(), v.encode()) for k, v in decision.headers().items()
                         if k.lower().encode() not in existing]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)
