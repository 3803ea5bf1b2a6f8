from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from deepfakesweb.api.deps import CurrentUser, RuntimeDep, SessionDep
from deepfakesweb.api.docs import UPLOAD_BODY, error_examples, example
from deepfakesweb.errors import NotFound
from deepfakesweb.videos import service
from deepfakesweb.videos.schemas import VIDEO_EXAMPLE, video_to_wire
from deepfakesweb.videos.uploads import parse_multipart
from deepfakesweb.videos.validation import validate_form

router = APIRouter(tags=["videos"])

_PENDING = {k: v for k, v in VIDEO_EXAMPLE.items() if k not in ("output_video_url", "ec2_instance_id")}
_PENDING.update(status="pending", progress=0, identity_score=None)


def _video_id(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 18:
        raise NotFound(service.NOT_FOUND)
    return int(raw)


@router.get("/videos", summary="List all your videos", responses=example(
    {"data": [VIDEO_EXAMPLE], "message": "Videos retrieved successfully"}))
def list_videos(
    session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
    limit: Annotated[int | None, Query(ge=1, le=1000, description="At most this many, newest first")] = None,
    before_id: Annotated[int | None, Query(ge=1, description="Only videos with a smaller id (next page)")] = None,
) -> JSONResponse:
    videos = service.list_videos(session, user.user_id, limit, before_id)
    data = [video_to_wire(video, runtime.signer) for video in videos]
    return JSONResponse({"data": data, "message": "Videos retrieved successfully"})


@router.get("/videos/{video_id}", summary="Get details of a specific video by ID", responses={
    **example({"data": VIDEO_EXAMPLE, "message": "Video retrieved successfully"}),
    **error_examples((404, "Video not found"))})
def get_video(video_id: str, session: SessionDep, runtime: RuntimeDep, user: CurrentUser) -> JSONResponse:
    video = service.get_video(session, user.user_id, _video_id(video_id))
    return JSONResponse({"data": video_to_wire(video, runtime.signer), "message": "Video retrieved successfully"})


@router.post("/videos", summary="Create a new deepfake video", openapi_extra=UPLOAD_BODY, responses={
    **example({"data": _PENDING, "message": "Video processing started"}),
    **error_examples((400, "Invalid request: missing file field 'image'"), (402, "Insufficient credits"),
                     (413, "File too large: video, limit 500 MB"),
                     (422, "Unprocessable image: no face found in the image"),
                     (429, "Too many videos in progress"))})
async def create_video(
    request: Request, session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
    idempotency_key: Annotated[str | None, Header(max_length=255, include_in_schema=False)] = None,
) -> JSONResponse:
    settings = runtime.settings
    limits = {"image": settings.max_image_bytes, "video": settings.max_video_bytes}
    spool = settings.data_dir / "tmp"
    spool.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=spool) as directory:
        form = await parse_multipart(request.headers.get("content-type", ""), request.stream(),
                                     Path(directory), limits)
        job = await run_in_threadpool(validate_form, form, settings, runtime.validation_analysers)
        created = await run_in_threadpool(service.create_video, session, runtime, user.user_id, job,
                                          idempotency_key)
    return JSONResponse(created.body, status_code=created.status_code)


@router.delete("/videos/{video_id}", summary="Delete a specific video by ID", responses={
    **example({"data": None, "message": "Video deleted successfully"}),
    **error_examples((404, "Video not found"))})
def delete_video(video_id: str, session: SessionDep, runtime: RuntimeDep, user: CurrentUser) -> JSONResponse:
    service.delete_video(session, runtime, user.user_id, _video_id(video_id))
    return JSONResponse({"data": None, "message": "Video deleted successfully"})
