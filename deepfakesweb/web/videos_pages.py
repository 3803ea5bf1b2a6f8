"""Videos page: upload (XHR with progress), the job list with live progress, player, download, delete."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from deepfakesweb.api.deps import RuntimeDep, SessionDep
from deepfakesweb.api.wire import format_time
from deepfakesweb.errors import ServiceError
from deepfakesweb.runtime import Runtime
from deepfakesweb.videos import service
from deepfakesweb.videos.models import Video, VideoStatus
from deepfakesweb.videos.uploads import UploadForm, parse_multipart
from deepfakesweb.videos.validation import validate_form
from deepfakesweb.web import security
from deepfakesweb.web.deps import TEMPLATES, CsrfField, PageError, WebUser, describe_error, render, verify_csrf

router = APIRouter(include_in_schema=False)

LIST_LIMIT = 50
CHECKBOXES = ("multiple_faces", "mouth_mask")


def _view(video: Video, runtime: Runtime) -> dict[str, Any]:
    completed = video.status == VideoStatus.completed and video.files_purged_at is None
    return {
        "id": video.id, "status": video.status.value, "progress": video.progress,
        "created_at": format_time(video.created_at), "when": f"{video.created_at:%Y-%m-%d %H:%M} UTC",
        "credits_used": video.credits_used,
        "multiple_faces": video.multiple_faces, "mouth_mask": video.mouth_mask,
        "error": video.error_message if video.status == VideoStatus.failed else None,
        "output_url": runtime.signer.url(video.id, "output") if completed else None,
        "purged": video.files_purged_at is not None,
    }


def _row_html(request: Request, runtime: Runtime, video: Video, token: str) -> str:
    return TEMPLATES.get_template("_video_row.html").render(v=_view(video, runtime), csrf_token=token)


@router.get("/videos")
def videos_page(request: Request, runtime: RuntimeDep, session: SessionDep, user: WebUser) -> Response:
    videos = service.list_videos(session, user.user_id, LIST_LIMIT, None)
    return render(request, runtime, "videos.html", {"videos": [_view(v, runtime) for v in videos]})


@router.get("/videos/status")
def videos_status(request: Request, runtime: RuntimeDep, session: SessionDep, user: WebUser) -> JSONResponse:
    """Polled every 2 s by the page: each row's status, progress and its re-rendered HTML."""
    token = security.csrf_token(request, runtime.settings.resolved_secret_key, user.token_hash)
    videos = service.list_videos(session, user.user_id, LIST_LIMIT, None)
    rows = [{"id": v.id, "status": v.status.value, "progress": v.progress,
             "html": _row_html(request, runtime, v, token)} for v in videos]
    return JSONResponse({"videos": rows}, headers={"Cache-Control": "no-store"})


@router.post("/videos/upload")
async def upload(request: Request, runtime: RuntimeDep, session: SessionDep, user: WebUser) -> Response:
    wants_json = "application/json" in request.headers.get("accept", "")
    header_token = request.headers.get(security.CSRF_HEADER)
    if header_token:  # XHR: checked before a byte of the body is read
        verify_csrf(request, runtime, header_token)
    settings = runtime.settings
    spool = settings.data_dir / "tmp"
    spool.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=spool) as directory:
            form = await parse_multipart(request.headers.get("content-type", ""), request.stream(), Path(directory),
                                         {"image": settings.max_image_bytes, "video": settings.max_video_bytes})
            if not header_token:
                verify_csrf(request, runtime, form.fields.get(security.CSRF_FIELD, ""))
            ticked = _checkboxes(form)
            validated = await run_in_threadpool(validate_form, form, settings, runtime.validation_analysers)
            job = dataclasses.replace(validated,
                                      multiple_faces=ticked["multiple_faces"], mouth_mask=ticked["mouth_mask"])
            created = await run_in_threadpool(service.create_video, session, runtime, user.user_id, job, None)
    except ServiceError as exc:  # re-raised as PageError so the request's transaction rolls back
        status, message = describe_error(exc)
        raise PageError(status, message, wants_json) from exc
    if wants_json:
        return JSONResponse({"data": {"id": created.body["data"]["id"]}, "message": "Video processing started"})
    return RedirectResponse("/videos", status_code=303)


def _checkboxes(form: UploadForm) -> dict[str, bool]:
    """HTML checkboxes send "on" when ticked and nothing otherwise; the API's boolean parser never sees them."""
    return {name: form.fields.pop(name, "") == "on" for name in CHECKBOXES}


@router.post("/videos/{video_id}/delete")
def delete(video_id: int, request: Request, runtime: RuntimeDep, session: SessionDep, user: WebUser,
           csrf: CsrfField = "") -> Response:
    verify_csrf(request, runtime, csrf)
    try:
        service.delete_video(session, runtime, user.user_id, video_id)
    except ServiceError as exc:
        status, message = describe_error(exc)
        raise PageError(status, message, False) from exc
    return RedirectResponse("/videos", status_code=303)
