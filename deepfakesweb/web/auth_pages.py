"""Sign up, log in, log out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from deepfakesweb.accounts import service as accounts
from deepfakesweb.accounts.throttle import LoginThrottle
from deepfakesweb.api.deps import RuntimeDep, SessionDep
from deepfakesweb.errors import ServiceError
from deepfakesweb.runtime import Runtime
from deepfakesweb.web import security
from deepfakesweb.web.deps import CsrfField, WebUser, describe_error, render, verify_csrf

router = APIRouter(include_in_schema=False)

LOGIN_FAILED = "Incorrect email or password."
THROTTLED = "Too many failed attempts. Please wait a few minutes and try again."
Email = Annotated[str, Form(max_length=320)]
Password = Annotated[str, Form(max_length=1024)]


def _signed_in(request: Request, runtime: Runtime, token: str, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    security.set_cookie(response, request, runtime.settings, security.SESSION_COOKIE, token,
                        max_age=runtime.settings.session_ttl_s)
    return response


@router.get("/")
def index(request: Request) -> Response:
    target = "/videos" if request.cookies.get(security.SESSION_COOKIE) else "/login"
    return RedirectResponse(target, status_code=303)


@router.get("/signup")
def signup_page(request: Request, runtime: RuntimeDep) -> Response:
    return render(request, runtime, "signup.html")


@router.post("/signup")
def signup(request: Request, runtime: RuntimeDep, session: SessionDep, csrf: CsrfField = "", email: Email = "",
           password: Password = "", terms: Annotated[str, Form(max_length=10)] = "") -> Response:
    verify_csrf(request, runtime, csrf)
    if not request.app.state.signup_throttle.attempt(security.client_ip(request)):
        return render(request, runtime, "signup.html", {"error": THROTTLED, "email": email}, 429)
    try:
        user = accounts.sign_up(session, email.strip(), password, terms == "on", runtime.settings.signup_credits)
    except ServiceError as exc:  # raised before anything was written
        status, message = describe_error(exc)
        return render(request, runtime, "signup.html", {"error": message, "email": email}, status)
    token = accounts.start_session(session, user.id, runtime.settings.session_ttl_s)
    return _signed_in(request, runtime, token, "/keys")


@router.get("/login")
def login_page(request: Request, runtime: RuntimeDep) -> Response:
    return render(request, runtime, "login.html")


@router.post("/login")
def login(request: Request, runtime: RuntimeDep, session: SessionDep, csrf: CsrfField = "", email: Email = "",
          password: Password = "") -> Response:
    verify_csrf(request, runtime, csrf)
    email = email.strip().lower()
    throttle: LoginThrottle = request.app.state.login_throttle
    address = security.client_ip(request)
    if not throttle.allowed(email, address):
        return render(request, runtime, "login.html", {"error": THROTTLED, "email": email}, 429)
    user = accounts.check_password(session, email, password)
    if user is None:
        throttle.failed(email, address)
        return render(request, runtime, "login.html", {"error": LOGIN_FAILED, "email": email}, 401)
    throttle.succeeded(email, address)
    token = accounts.start_session(session, user.id, runtime.settings.session_ttl_s)
    return _signed_in(request, runtime, token, "/videos")


@router.post("/logout")
def logout(request: Request, runtime: RuntimeDep, session: SessionDep, user: WebUser,
           csrf: CsrfField = "") -> Response:
    verify_csrf(request, runtime, csrf)
    accounts.end_session(session, user.token_hash)
    response = RedirectResponse("/login", status_code=303)
    security.clear_cookie(response, request, runtime.settings, security.SESSION_COOKIE)
    return response
