"""Fast upload validation: decodable? how big? a face? Container and first frames only."""

from __future__ import annotations

import os
from typing import Any

import av
import numpy as np

from deepfakesweb.engine.analyse import FaceAnalyser, analyser_for
from deepfakesweb.engine.errors import InvalidVideo, NoFaceInSource
from deepfakesweb.engine.geometry import box_of
from deepfakesweb.engine.images import read_image
from deepfakesweb.engine.options import ImageInfo, VideoInfo
from deepfakesweb.engine.video_io import open_video

__all__ = ["inspect_image", "inspect_video", "first_frame"]

_MAX_PROBE_PACKETS = 64


def inspect_image(path: str | os.PathLike[str], *, analyser: FaceAnalyser | None = None) -> ImageInfo:
    """Size and faces of an image; InvalidImage if it does not decode, NoFaceInSource if no face."""
    image = read_image(path)
    with analyser_for(analyser) as analyser:
        faces = analyser.landmarks_in_image(image)
    if not faces:
        raise NoFaceInSource("no face found in the image")
    largest = max(faces, key=lambda lm: float(np.ptp(lm[:, 0]) * np.ptp(lm[:, 1])))
    h, w = image.shape[:2]
    return ImageInfo(width=w, height=h, face_count=len(faces), face_box=box_of(largest))


def first_frame(container: Any) -> Any:
    """The first decodable video frame; InvalidVideo when the opening packets do not decode."""
    stream = container.streams.video[0]
    try:
        for n, packet in enumerate(container.demux(stream)):
            for frame in packet.decode():
                return frame
            if n > _MAX_PROBE_PACKETS:
                break
    except av.error.FFmpegError as exc:
        raise InvalidVideo(f"the video's first frames do not decode: {exc}") from exc
    raise InvalidVideo("the video has no decodable frame")


def _duration(container: Any, stream: Any) -> float:
    if container.duration is not None:
        return container.duration / av.time_base
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    return 0.0


def inspect_video(path: str | os.PathLike[str]) -> VideoInfo:
    """Container facts plus one decoded frame; no face scan (the job finds no_face_in_video)."""
    container = open_video(path)
    try:
        stream = container.streams.video[0]
        frame = first_frame(container)
        rate = stream.average_rate or stream.guessed_rate
        return VideoInfo(
            width=frame.width,
            height=frame.height,
            fps=float(rate) if rate else 0.0,
            duration_s=_duration(container, stream),
            has_audio=bool(container.streams.audio),
            rotation=int(frame.rotation),
            codec=stream.codec_context.name,
            frames=stream.frames or None,
        )
    finally:
        container.close()
