"""Wire shape of the seed's video object: its fields in its order, then ours."""

from __future__ import annotations

from typing import Any

from deepfakesweb.api.wire import format_time
from deepfakesweb.files.signing import LinkSigner
from deepfakesweb.videos.models import Video, VideoStatus

__all__ = ["video_to_wire", "VIDEO_EXAMPLE"]


def video_to_wire(video: Video, signer: LinkSigner) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "id": video.id,
        "user_id": video.user_id,
        "input_image_url": signer.url(video.id, "input_image"),
        "input_video_url": signer.url(video.id, "input_video"),
        "multiple_faces": video.multiple_faces,
        "mouth_mask": video.mouth_mask,
        "status": video.status.value,
        "credits_used": video.credits_used,
        "created_at": format_time(video.created_at),
        "updated_at": format_time(video.updated_at),
    }
    if video.status == VideoStatus.completed:
        wire["output_video_url"] = signer.url(video.id, "output")
    if video.worker_id:
        wire["ec2_instance_id"] = video.worker_id
    wire["progress"] = video.progress
    wire["identity_score"] = video.identity_score
    wire["error"] = {"code": video.error_code, "message": video.error_message} if video.error_code else None
    return wire


_URL = "https://api.example.com/v1/files/46/input_image?expires=1743650495&signature=9f2c..."
VIDEO_EXAMPLE = {
    "id": 46, "user_id": 10, "input_image_url": _URL, "input_video_url": _URL.replace("image", "video"),
    "multiple_faces": False, "mouth_mask": False, "status": "completed", "credits_used": 1,
    "created_at": "2025-04-01T17:21:35.090458Z", "updated_at": "2025-04-01T17:21:51.736972Z",
    "output_video_url": _URL.replace("input_image", "output"), "ec2_instance_id": "i-056a2d96c9efd03d1",
    "progress": 100, "identity_score": 0.47, "error": None,
}
