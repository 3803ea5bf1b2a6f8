"""Turn spooled uploads into a checked job request, or a 400/422 with the seed's message shape."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from deepfakesweb import engine
from deepfakesweb.api.wire import parse_bool
from deepfakesweb.config import Settings
from deepfakesweb.errors import Unprocessable, UserInputError
from deepfakesweb.videos.sniff import image_dimensions, sniff_image, sniff_video
from deepfakesweb.videos.uploads import SpooledFile, UploadForm

__all__ = ["JobRequest", "validate_form", "price"]


@dataclass(frozen=True)
class JobRequest:
    image: SpooledFile
    video: SpooledFile
    image_ext: str
    video_ext: str
    multiple_faces: bool
    mouth_mask: bool
    duration_s: float

    @property
    def fingerprint(self) -> str:
        parts = (self.image.sha256, self.video.sha256, str(self.multiple_faces), str(self.mouth_mask))
        return hashlib.sha256("|".join(parts).encode()).hexdigest()


def validate_form(form: UploadForm, settings: Settings, analysers: engine.AnalyserPool | None = None) -> JobRequest:
    for name in ("image", "video"):
        if name not in form.files or form.files[name].size == 0:
            raise UserInputError(f"missing file field {name!r}")
    try:
        multiple_faces = parse_bool("multiple_faces", form.fields.get("multiple_faces"))
        mouth_mask = parse_bool("mouth_mask", form.fields.get("mouth_mask"))
    except ValueError as exc:
        raise UserInputError(str(exc)) from exc
    image, video = form.files["image"], form.files["video"]
    image_ext = _check_image(image, settings, analysers or engine.AnalyserPool(1))
    video_ext, duration = _check_video(video, settings)
    return JobRequest(image, video, image_ext, video_ext, multiple_faces, mouth_mask, duration)


def _check_image(image: SpooledFile, settings: Settings, analysers: engine.AnalyserPool) -> str:
    kind = sniff_image(image.head)
    if kind is None:
        raise Unprocessable("Unprocessable image: not a JPEG, PNG or WebP file")
    size = image_dimensions(image.path, kind)
    if size is not None and size[0] * size[1] > settings.max_image_pixels:
        megapixels = size[0] * size[1] / 1e6
        raise Unprocessable(f"Unprocessable image: {megapixels:.1f} megapixels, limit "
                            f"{settings.max_image_pixels / 1e6:g}")
    try:
        with analysers.borrow() as analyser:
            engine.inspect_image(image.path, analyser=analyser)
    except engine.NoFaceInSource as exc:
        raise Unprocessable("Unprocessable image: no face found in the image") from exc
    except engine.EngineError as exc:
        raise Unprocessable("Unprocessable image: not decodable") from exc
    return kind


def _check_video(video: SpooledFile, settings: Settings) -> tuple[str, float]:
    kind = sniff_video(video.head)
    if kind is None:
        raise Unprocessable("Unprocessable video: not an MP4, MOV, WebM, MKV or AVI file")
    try:
        info = engine.inspect_video(video.path)
    except engine.EngineError as exc:
        raise Unprocessable(f"Unprocessable video: {_video_reason(exc)}") from exc
    if info.duration_s > settings.max_video_seconds:
        raise Unprocessable(f"Unprocessable video: {info.duration_s:.1f} s long, limit "
                            f"{settings.max_video_seconds:g} s")
    if max(info.width, info.height) > settings.max_video_side:
        raise Unprocessable(f"Unprocessable video: {info.width}x{info.height} pixels, limit "
                            f"{settings.max_video_side} per side")
    return kind, info.duration_s


def _video_reason(exc: engine.EngineError) -> str:
    text = str(exc).lower()
    return "no video stream" if "no video stream" in text else "not decodable"


def price(duration_s: float, settings: Settings) -> int:
    minutes = math.ceil(max(duration_s, 0.0) / 60.0)
    return max(settings.min_credits, minutes * settings.credits_per_minute)
