"""Login throttling: N failed attempts per (email, client IP) in a moving window, via `limits`."""

from __future__ import annotations

from limits import parse, storage, strategies

__all__ = ["LoginThrottle"]


class LoginThrottle:
    def __init__(self, storage_url: str, limit: str, namespace: str = "dfw") -> None:
        options = {"key_prefix": f"{namespace}-login"} if storage_url.startswith("redis") else {}
        self._limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_url, **options))
        self._item = parse(limit)

    def allowed(self, email: str, address: str) -> bool:
        return self._limiter.test(self._item, "login", _identity(email), address)

    def failed(self, email: str, address: str) -> None:
        self._limiter.hit(self._item, "login", _identity(email), address)

    def succeeded(self, email: str, address: str) -> None:
        self._limiter.clear(self._item, "login", _identity(email), address)


def _identity(email: str) -> str:
    return email.strip().lower()
