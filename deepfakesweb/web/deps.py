"""What the dashboard's routes share: the signed-in user, page rendering, form CSRF checks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Form, Request, Response
from fastapi.templating import Jinja2Templates

from deepfakesweb.accounts import service as accounts
from deepfakesweb.accounts.service import SignedIn
from deepfakesweb.api.deps import RuntimeDep
from deepfakesweb.errors import (
    Conflict,
    InsufficientCredits,
    NotFound,
    PayloadTooLarge,
    ServiceError,
    TooManyActive,
    Unprocessable,
    UserInputError,
)
from deepfakesweb.payments.service import PaymentProviderError
from deepfakesweb.runtime import Runtime
from deepfakesweb.web import security

__all__ = ["LoginRequired", "PageError", "WebUser", "CsrfField", "render", "verify_csrf", "describe_error", "TEMPLATES"]

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


class LoginRequired(Exception):
    """No valid browser session: the handler redirects to the log-in page."""


class PageError(Exception):
    """A refused dashboard request; raised (not returned) so the request's transaction rolls back."""

    def __init__(self, status: int, message: str, as_json: bool) -> None:
        super().__init__(message)
        self.status, self.message, self.as_json = status, message, as_json


def web_user(request: Request, runtime: RuntimeDep) -> SignedIn:
    token = request.cookies.get(security.SESSION_COOKIE, "")
    # Its own short transaction, so the route's session can still open with the user lock.
    with runtime.db.unit_of_work() as session:
        user = accounts.resolve_session(session, token) if token else None
    if user is None:
        raise LoginRequired()
    request.state.web_user = user
    return user


WebUser = Annotated[SignedIn, Depends(web_user)]


def _binding(request: Request) -> str:
    user = getattr(request.state, "web_user", None)
    return user.token_hash if user else ""


# No inline script or style anywhere. Outputs may play from a presigned storage URL (any origin), and the
# Buy form's redirect goes to Stripe Checkout, which form-action governs too.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' https: http:; "
    "connect-src 'self'; form-action 'self' https://checkout.stripe.com; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)


def render(request: Request, runtime: Runtime, name: str, context: dict[str, Any] | None = None,
           status_code: int = 200) -> Response:
    secret = runtime.settings.resolved_secret_key
    page = {"user": getattr(request.state, "web_user", None), "settings": runtime.settings,
            "csrf_token": security.csrf_token(request, secret, _binding(request)), **(context or {})}
    response = TEMPLATES.TemplateResponse(request, name, page, status_code=status_code, headers={
        "Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": CONTENT_SECURITY_POLICY})
    seed = getattr(request.state, "new_csrf_seed", None)
    if seed:
        security.set_cookie(response, request, runtime.settings, security.CSRF_COOKIE, seed)
    return response


def verify_csrf(request: Request, runtime: Runtime, token: str) -> None:
    """Raises CsrfRejected unless `token` (the form's csrf_token, or the X-CSRF-Token header) is valid."""
    security.check_csrf(request, runtime.settings.resolved_secret_key, token, _binding(request))


CsrfField = Annotated[str, Form(alias=security.CSRF_FIELD, max_length=128)]


def describe_error(exc: ServiceError) -> tuple[int, str]:
    """A status and a sentence for a person, from the service layer's exception tree."""
    match exc:
        case InsufficientCredits():
            return 402, "Not enough credits for this video. Buy credits on the Credits page."
        case TooManyActive():
            return 429, "Too many videos in progress; wait for one to finish."
        case PayloadTooLarge():
            return 413, f"File too large: {exc.message}"
        case Unprocessable():
            return 422, exc.message
        case NotFound():
            return 404, "Not found."
        case Conflict():
            return 409, exc.message
        case PaymentProviderError():
            return 503, exc.message
        case UserInputError():
            return 400, exc.message[:1].upper() + exc.message[1:]
    return 400, exc.message
