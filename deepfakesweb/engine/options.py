"""Value types of the engine: the frozen options, the reports, and array-role aliases."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "Frame",
    "Mask",
    "Landmarks",
    "Descriptor",
    "Box",
    "SwapOptions",
    "SwapReport",
    "ImageInfo",
    "VideoInfo",
]

# Plain ndarray aliases: OpenCV's stubs return loosely typed arrays, the role is what the name says.
Frame = np.ndarray  # H x W x 3, uint8, BGR
Mask = np.ndarray  # H x W, float32, 0..1
Landmarks = np.ndarray  # 468 x 2, float32, pixel coordinates (x, y)
Descriptor = np.ndarray  # 128-d float64 dlib identity embedding
Box = tuple[int, int, int, int]  # x, y, w, h


@dataclass(frozen=True)
class SwapOptions:
    multiple_faces: bool = False
    mouth_mask: bool = False
    crf: int = 23
    # superfast: x264 shares two cores with the swap; veryfast costs ~2x the CPU per frame (bench).
    preset: str = "superfast"
    threads: int = 2
    visible_watermark: bool = False
    max_duration_s: float | None = None
    max_side_px: int | None = None
    min_face_px: int = 40
    # min/max of the nose-to-cheek distances; below it the face is too far turned to swap cleanly.
    min_yaw_ratio: float = 0.05
    # dlib descriptor distance under which a face counts as the followed person (multiple_faces=False).
    identity_threshold: float = 0.6
    # a followed track's descriptor is recomputed this often (~80 ms each), new tracks at once
    reverify_s: float = 2.0
    detect_every_s: float = 0.2
    identity_sample_s: float = 1.0
    blend: str = "feather"  # "feather" or "laplacian"
    smoothing: bool = True


@dataclass(frozen=True)
class SwapReport:
    frames: int
    frames_swapped: int
    faces_swapped: int
    seconds: float
    fps: float
    identity_score: float | None


@dataclass(frozen=True)
class ImageInfo:
    width: int
    height: int
    face_count: int
    face_box: Box | None


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    fps: float
    duration_s: float
    has_audio: bool
    rotation: int
    codec: str
    frames: int | None
