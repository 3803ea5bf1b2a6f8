"""Media factories for engine tests: small clips cut from the real test videos, built on demand."""

from __future__ import annotations

import math
import os
import tempfile
from fractions import Fraction
from functools import cache

import av
import cv2
import numpy as np

DATA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data")
ONE_FACE = os.path.join(DATA, "video_headpose_one_face.mp4")
TWO_FACES = os.path.join(DATA, "video_headpose_two_faces.mp4")
OBAMA = os.path.join(DATA, "face_obama.jpg")
BIDEN = os.path.join(DATA, "face_biden.jpg")
TWO_PEOPLE = os.path.join(DATA, "multi_obama_biden_2faces.jpg")
NO_FACE = os.path.join(DATA, "noface_coffee.png")

_WORKDIR = tempfile.mkdtemp(prefix="dfw-engine-tests-")


def workdir_path(name: str) -> str:
    return os.path.join(_WORKDIR, name)


def read_frames(path: str) -> list[np.ndarray]:
    with av.open(path) as c:
        return [f.to_ndarray(format="bgr24") for f in c.decode(video=0)]


def read_pts(path: str) -> list[int]:
    with av.open(path) as c:
        return [f.pts for f in c.decode(video=0)]


def make_clip(
    name: str,
    source: str = ONE_FACE,
    frames: int = 20,
    size: tuple[int, int] | None = None,
    rotation: int = 0,
    audio: bool = False,
    vfr: bool = False,
    images: list[np.ndarray] | None = None,
) -> str:
    """A short H.264 MP4 from the first `frames` of `source` (or `images`), with the variations asked for.

    rotation=90 stores the picture turned clockwise and sets the display matrix so players turn it back.
    vfr=True gives irregular frame durations. audio=True adds a 440 Hz AAC sine track.
    """
    path = workdir_path(name)
    pictures = images if images is not None else read_frames(source)[:frames]
    if size is not None:
        pictures = [cv2.resize(p, size, interpolation=cv2.INTER_AREA) for p in pictures]
    if rotation:
        pictures = [np.ascontiguousarray(np.rot90(p, -rotation // 90)) for p in pictures]
    h, w = pictures[0].shape[:2]
    with av.open(path, "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=25)
        video.width, video.height = w, h
        video.pix_fmt = "yuv420p" if w % 2 == 0 and h % 2 == 0 else "yuv444p"
        video.time_base = Fraction(1, 1000)
        video.codec_context.time_base = Fraction(1, 1000)
        if vfr:
            video.codec_context.max_b_frames = 0  # x264 needs regular steps to place B-frames
        if rotation:
            video.set_display_rotation(rotation)
        sound = out.add_stream("aac", rate=44100, layout="mono") if audio else None
        pts = 0
        for i, picture in enumerate(pictures):
            frame = av.VideoFrame.from_ndarray(picture, format="bgr24")
            frame.pts, frame.time_base = pts, Fraction(1, 1000)
            pts += (20 + 40 * (i % 3)) if vfr else 40
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        if sound is not None:
            _write_sine(out, sound, seconds=pts / 1000)
    return path


def _write_sine(out: av.container.OutputContainer, stream: av.AudioStream, seconds: float) -> None:
    rate, chunk = 44100, 1024
    total = int(seconds * rate)
    for start in range(0, total, chunk):
        t = (np.arange(start, min(start + chunk, total)) / rate).astype(np.float32)
        samples = (0.3 * np.sin(2 * math.pi * 440 * t)).astype(np.float32)[None, :]
        frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
        frame.sample_rate, frame.pts = rate, start
        out.mux(stream.encode(frame))
    out.mux(stream.encode(None))


def make_truncated(name: str, source: str = ONE_FACE, keep: float = 0.5) -> str:
    path = workdir_path(name)
    with open(source, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data[: int(len(data) * keep)])
    return path


def make_noface_clip(name: str, frames: int = 10) -> str:
    coffee = cv2.imread(NO_FACE)
    pictures = [np.roll(coffee, 3 * i, axis=1)[:270, :480] for i in range(frames)]
    return make_clip(name, images=pictures)


def make_bytes_file(name: str, data: bytes) -> str:
    path = workdir_path(name)
    with open(path, "wb") as f:
        f.write(data)
    return path


@cache
def face_descriptors(path: str) -> list[np.ndarray]:
    """dlib descriptors of every face in an image file, via the engine's own analyser."""
    from deepfakesweb.engine.analyse import FaceAnalyser

    image = cv2.imread(path)
    with FaceAnalyser() as analyser:
        return [analyser.create_descriptor(image, lm) for lm in analyser.landmarks_in_image(image)]
