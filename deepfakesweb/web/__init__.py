"""The web dashboard: server-rendered Jinja2 pages, small hand-written CSS and JS, no build step."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from deepfakesweb.accounts.throttle import LoginThrottle, SignupThrottle
from deepfakesweb.runtime import Runtime

__all__ = ["install"]

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI, runtime: Runtime) -> None:
    """Adds the dashboard's routes, static files, login throttle and its two error pages."""
    from deepfakesweb.web import account_pages, auth_pages, credits_pages, keys_pages, videos_pages
    from deepfakesweb.web.deps import TEMPLATES, LoginRequired, PageError
    from deepfakesweb.web.security import CsrfRejected

    settings = runtime.settings
    app.state.login_throttle = LoginThrottle(settings.rate_limit_url, settings.login_throttle, settings.namespace)
    app.state.signup_throttle = SignupThrottle(settings.rate_limit_url, settings.signup_throttle, settings.namespace)
    for module in (auth_pages, keys_pages, videos_pages, credits_pages, account_pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, _: LoginRequired) -> Response:
        if request.method == "GET" and "application/json" not in request.headers.get("accept", ""):
            return RedirectResponse("/login", status_code=303)
        return JSONResponse({"data": None, "message": "Log in required"}, status_code=401)

    def _error_page(request: Request, status: int, message: str) -> Response:
        body = TEMPLATES.get_template("error.html").render(message=message, user=None)
        return HTMLResponse(body, status_code=status)

    @app.exception_handler(CsrfRejected)
    async def _csrf_rejected(request: Request, _: CsrfRejected) -> Response:
        return _error_page(request, 403, "The form had expired or did not come from this site. Go back, reload "
                                         "the page and try again.")

    @app.exception_handler(PageError)
    async def _page_error(request: Request, exc: PageError) -> Response:
        if exc.as_json:
            return JSONResponse({"data": None, "message": exc.message}, status_code=exc.status)
        return _error_page(request, exc.status, exc.message)
