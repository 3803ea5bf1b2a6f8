"""Signed file links: no API key, the signature is the credential."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, RedirectResponse, Response

from deepfakesweb.api.deps import RuntimeDep, SessionDep
from deepfakesweb.api.errors import ApiError
from deepfakesweb.files.signing import FILE_KINDS
from deepfakesweb.storage import StorageError
from deepfakesweb.videos.models import Video
from deepfakesweb.videos.service import file_key

router = APIRouter(tags=["files"])

MEDIA_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "mp4": "video/mp4",
               "mov": "video/quicktime", "webm": "video/webm", "mkv": "video/x-matroska", "avi": "video/x-msvideo"}


@router.api_route("/files/{video_id}/{kind}", methods=["GET", "HEAD"], include_in_schema=False)
def download(
    video_id: int, kind: str, session: SessionDep, runtime: RuntimeDep,
    expires: Annotated[int, Query()] = 0, signature: Annotated[str, Query(max_length=128)] = "",
) -> Response:
    if kind not in FILE_KINDS or not runtime.signer.verify(video_id, kind, expires, signature):
        raise ApiError(403, "Link expired or invalid")
    video = session.get(Video, video_id)
    key = file_key(video, kind) if video is not None else None
    if video is None or video.deleted_at is not None or video.files_purged_at is not None or key is None:
        raise ApiError(404, "Not found")
    extension = key.rsplit(".", 1)[-1]
    filename = f"video-{video_id}-{kind}.{extension}"
    try:
        target = runtime.storage.download_target(key, filename)
    except StorageError as exc:
        raise ApiError(404, "Not found") from exc
    if isinstance(target, Path):
        return FileResponse(target, media_type=MEDIA_TYPES.get(extension), filename=filename)
    return RedirectResponse(target, status_code=307)
