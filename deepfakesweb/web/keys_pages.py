"""API Keys page: create (the full key shown once), list, revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from deepfakesweb.api.deps import RuntimeDep, SessionDep
from deepfakesweb.apikeys import service as apikeys
from deepfakesweb.web.deps import CsrfField, WebUser, render, verify_csrf

router = APIRouter(include_in_schema=False)


def _page(request: Request, runtime: RuntimeDep, session: SessionDep, user_id: int, **extra: object) -> Response:
    keys = sorted(apikeys.list_keys(session, user_id), key=lambda key: key.id, reverse=True)
    return render(request, runtime, "keys.html", {"keys": keys, **extra})


@router.get("/keys")
def keys_page(request: Request, runtime: RuntimeDep, session: SessionDep, user: WebUser) -> Response:
    return _page(request, runtime, session, user.user_id)


@router.post("/keys")
def create_key(request: Request, runtime: RuntimeDep, session: SessionDep, user: WebUser, csrf: CsrfField = "",
               name: Annotated[str, Form(max_length=100)] = "") -> Response:
    verify_csrf(request, runtime, csrf)
    key, secret = apikeys.create_key(session, user.user_id, name.strip() or "unnamed")
    # Rendered, not redirected: the full key exists only in this response.
    return _page(request, runtime, session, user.user_id, new_key=secret, new_key_name=key.name)


@router.post("/keys/{key_id}/revoke")
def revoke_key(key_id: int, request: Request, runtime: RuntimeDep, session: SessionDep, user: WebUser,
               csrf: CsrfField = "") -> Response:
    verify_csrf(request, runtime, csrf)
    owned = next((key for key in apikeys.list_keys(session, user.user_id) if key.id == key_id), None)
    if owned is not None:
        apikeys.revoke_key(session, owned.prefix)
    return RedirectResponse("/keys", status_code=303)
