"""Browser-side security: the session cookie, CSRF tokens (signed double-submit), client address, GA ids.

CSRF: a random `dfw_csrf` cookie (HttpOnly, SameSite=Lax) is set on the first page; every form carries
HMAC-SHA256(DFW_SECRET_KEY, cookie | session) as `csrf_token` (or the `X-CSRF-Token` header for XHR).
Another site can neither read the cookie nor forge the HMAC, and a token stops working on log-out."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping

from fastapi import Request, Response

from deepfakesweb.config import Settings

__all__ = ["SESSION_COOKIE", "CSRF_COOKIE", "CsrfRejected", "csrf_token", "check_csrf", "set_cookie",
           "clear_cookie", "client_ip", "ga_tracking"]

SESSION_COOKIE = "dfw_session"
CSRF_COOKIE = "dfw_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class CsrfRejected(Exception):
    """A state-changing request without a valid CSRF token."""


def _secure(request: Request, settings: Settings) -> bool:
    if settings.secure_cookies is not None:
        return settings.secure_cookies
    return request.url.scheme == "https" or settings.public_url.startswith("https://")


def set_cookie(response: Response, request: Request, settings: Settings, name: str, value: str,
               max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="lax",
                        secure=_secure(request, settings))


def clear_cookie(response: Response, request: Request, settings: Settings, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=_secure(request, settings))


def _csrf_seed(request: Request) -> str:
    """The browser's CSRF cookie, or a new one that the response will set (see `render`)."""
    seed = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_seed", None)
    if not seed:
        seed = request.state.new_csrf_seed = secrets.token_urlsafe(32)
    return str(seed)


def csrf_token(request: Request, secret: bytes, binding: str = "") -> str:
    message = f"csrf|{_csrf_seed(request)}|{binding}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def check_csrf(request: Request, secret: bytes, submitted: str | None, binding: str = "") -> None:
    submitted = submitted or request.headers.get(CSRF_HEADER, "")
    if not request.cookies.get(CSRF_COOKIE) or not submitted:
        raise CsrfRejected()
    if not hmac.compare_digest(csrf_token(request, secret, binding), submitted):
        raise CsrfRejected()


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


_GA_SESSION = re.compile(r"^GS\d\.\d\.(?:s)?(\d+)")


def ga_tracking(cookies: Mapping[str, str]) -> dict[str, str]:
    """GA4 ids from its cookies: `_ga` = GA1.1.<client id>, `_ga_<stream>` = GS1.1.<session id>... or GS2.1.s<id>$..."""
    tracking = {}
    parts = cookies.get("_ga", "").split(".")
    if len(parts) >= 4 and parts[2].isdigit() and parts[3].isdigit():
        tracking["ga_client_id"] = f"{parts[2]}.{parts[3]}"
    for name, value in cookies.items():
        match = _GA_SESSION.match(value) if name.startswith("_ga_") else None
        if match:
            tracking["ga_session_id"] = match.group(1)
            break
    return tracking
