"""Sign up, log in, log out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from deepfakesweb.accounts import service as accounts
from deepfakesweb.accounts.throttle import LoginThrottle
from deepfakesweb.api.deps import RuntimeDep
from deepfakesweb.errors import ServiceError
from deepfakesweb.runtime import Runtime
from deepfakesweb.web import security
from deepfakesweb.web.deps import WebUser, check_form, describe_error, render

router = APIRouter(include_in_schema=False)

LOGIN_FAILED = "Incorrect email or password."
THROTTLED = "Too many failed attempts. Please wait a few minutes and try again."


def _signed_in(request: Request, runtime: Runtime, token: str, target: str = "/videos") -> Response:
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
async def signup(request: Request, runtime: RuntimeDep) -> Response:
    form = await check_form(request, runtime)
    email, password = form.get("email", "").strip(), form.get("password", "")
    accepted = form.get("terms") == "on"

    def create() -> str:
        with runtime.db.unit_of_work() as session:
            user = accounts.sign_up(session, email, password, accepted, runtime.settings.signup_credits)
            return accounts.start_session(session, user.id, runtime.settings.session_ttl_s)

    try:
        token = await run_in_threadpool(create)
    except ServiceError as exc:
        status, message = describe_error(exc)
        return render(request, runtime, "signup.html", {"error": message, "email": email}, status)
    return _signed_in(request, runtime, token, "/keys")


@router.get("/login")
def login_page(request: Request, runtime: RuntimeDep) -> Response:
    return render(request, runtime, "login.html")


@router.post("/login")
async def login(request: Request, runtime: RuntimeDep) -> Response:
    form = await check_form(request, runtime)
    email, password = form.get("email", "").strip().lower(), form.get("password", "")
    throttle: LoginThrottle = request.app.state.login_throttle
    address = security.client_ip(request)
    if not throttle.allowed(email, address):
        return render(request, runtime, "login.html", {"error": THROTTLED, "email": email}, 429)

    def attempt() -> str | None:
        with runtime.db.unit_of_work() as session:
            user = accounts.check_password(session, email, password)
            return accounts.start_session(session, user.id, runtime.settings.session_ttl_s) if user else None

    token = await run_in_threadpool(attempt)
    if token is None:
        throttle.failed(email, address)
        return render(request, runtime, "login.html", {"error": LOGIN_FAILED, "email": email}, 401)
    throttle.succeeded(email, address)
    return _signed_in(request, runtime, token)


@router.post("/logout")
async def logout(request: Request, runtime: RuntimeDep, user: WebUser) -> Response:
    await check_form(request, runtime)
    with runtime.db.unit_of_work() as session:
        accounts.end_session(session, user.token_hash)
    response = RedirectResponse("/login", status_code=303)
    security.clear_cookie(response, request, runtime.settings, security.SESSION_COOKIE)
    return response
