"""Login throttling: N failed attempts per (email, client IP) in a moving window, via `limits`."""

from __future__ import annotations

from limits import parse, storage, strategies

__all__ = ["LoginThrottle"]


class LoginThrottle:
    def __init__(self, storage_url: str, limit: str) -> None:
        self._limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_url))
        self._item = parse(limit)

    def allowed(self, email: str, address: str) -> bool:
        return self._limiter.test(self._item, "login", _identity(email), address)

    def failed(self, email: str, address: str) -> None:
        self._limiter.hit(self._item, "login", _identity(email), address)

    def succeeded(self, email: str, address: str) -> None:
        self._limiter.clear(self._item, "login", _identity(email), address)


def _identity(email: str) -> str:
    return email.strip().lower()
