"""Throttles in moving windows via `limits`: failed logins per (email, client IP), sign-ups per client IP."""

from __future__ import annotations

from limits import parse

from deepfakesweb.api.ratelimit import moving_window

__all__ = ["LoginThrottle", "SignupThrottle"]


class LoginThrottle:
    def __init__(self, storage_url: str, limit: str, namespace: str = "dfw") -> None:
        self._limiter = moving_window(storage_url, namespace, "login")
        self._item = parse(limit)

    def allowed(self, email: str, address: str) -> bool:
        return self._limiter.test(self._item, "login", _identity(email), address)

    def failed(self, email: str, address: str) -> None:
        self._limiter.hit(self._item, "login", _identity(email), address)

    def succeeded(self, email: str, address: str) -> None:
        self._limiter.clear(self._item, "login", _identity(email), address)


def _identity(email: str) -> str:
    return email.strip().lower()


class SignupThrottle:
    """Every sign-up attempt counts, so one address cannot mint accounts (and their signup credits) in bulk."""

    def __init__(self, storage_url: str, limit: str, namespace: str = "dfw") -> None:
        self._limiter = moving_window(storage_url, namespace, "signup")
        self._item = parse(limit)

    def attempt(self, address: str) -> bool:
        return self._limiter.hit(self._item, "signup", address)
