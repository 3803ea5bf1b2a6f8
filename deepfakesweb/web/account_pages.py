"""Account page: who is signed in, and account deletion (password confirmed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from deepfakesweb.accounts import service as accounts
from deepfakesweb.api.deps import RuntimeDep, SessionDep
from deepfakesweb.web import security
from deepfakesweb.web.deps import CsrfField, WebUser, render, verify_csrf

router = APIRouter(include_in_schema=False)


@router.get("/account")
def account_page(request: Request, runtime: RuntimeDep, user: WebUser) -> Response:
    return render(request, runtime, "account.html")


@router.post("/account/delete")
def delete_account(request: Request, runtime: RuntimeDep, session: SessionDep, user: WebUser,
                   csrf: CsrfField = "", password: Annotated[str, Form(max_length=1024)] = "") -> Response:
    verify_csrf(request, runtime, csrf)
    # Checked in its own transaction: the deletion must open the route's with the user lock.
    with runtime.db.unit_of_work() as check:
        confirmed = accounts.check_password(check, user.email, password) is not None
    if not confirmed:
        return render(request, runtime, "account.html", {"error": "Incorrect password."}, 401)
    accounts.delete_account(session, runtime.storage, user.user_id)
    response = RedirectResponse("/login?deleted=1", status_code=303)
    security.clear_cookie(response, request, runtime.settings, security.SESSION_COOKIE)
    return response
