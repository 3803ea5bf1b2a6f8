"""Swap one face: warp the prepared source onto target landmarks, match colour, mask, blend, paste."""

from __future__ import annotations

import time
from concurrent.futures import Future
from dataclasses import dataclass, field

import cv2
import numpy as np

from deepfakesweb.engine.blend import (
    blend_feather,
    blend_laplacian,
    create_face_mask,
    create_mouth_mask,
    create_region_mask,
    match_colour,
)
from deepfakesweb.engine.geometry import inter_ocular
from deepfakesweb.engine.options import Descriptor, Frame, Landmarks
from deepfakesweb.engine.warp import triangulate, warp_face

__all__ = ["SourceFace", "StageTimes", "prepare_source", "swap_face"]

_SOURCE_IOD = 128.0  # the source face is normalised to this inter-ocular distance at pyramid level 0


@dataclass
class StageTimes:
    """Accumulated seconds per stage; the benchmark prints them per frame."""

    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, since: float) -> float:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - since
        return now


@dataclass(frozen=True)
class SourceFace:
    levels: tuple[Frame, ...]  # image pyramid of the source face crop
    landmarks: Landmarks  # at level 0
    triangles: np.ndarray
    iod: float
    descriptor: Future[Descriptor]  # computed beside the swap; only the identity score needs it


def prepare_source(image: Frame, lm: Landmarks, descriptor: Future[Descriptor]) -> SourceFace:
    """Crop and scale the source face once; later frames only pick a pyramid level."""
    scale = _SOURCE_IOD / max(inter_ocular(lm), 1.0)
    x0, y0 = lm.min(axis=0) - 0.1 * _SOURCE_IOD / scale
    x1, y1 = lm.max(axis=0) + 0.1 * _SOURCE_IOD / scale
    w, h = int((x1 - x0) * scale) + 1, int((y1 - y0) * scale) + 1
    to_crop = np.array([[scale, 0, -x0 * scale], [0, scale, -y0 * scale]], np.float32)
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    crop = cv2.warpAffine(image, to_crop, (w, h), flags=interp, borderMode=cv2.BORDER_REPLICATE)
    levels = [crop]
    while min(levels[-1].shape[:2]) > 64:
        levels.append(cv2.pyrDown(levels[-1]))
    landmarks = np.asarray((lm - np.array([x0, y0], np.float32)) * scale, np.float32)
    return SourceFace(tuple(levels), landmarks, triangulate(landmarks), _SOURCE_IOD, descriptor)


def _roi(lm: Landmarks, shape: tuple[int, ...]) -> tuple[int, int, int, int] | None:
    h, w = shape[:2]
    x0, y0 = np.floor(lm.min(axis=0)).astype(int) - 2
    x1, y1 = np.ceil(lm.max(axis=0)).astype(int) + 3
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    return int(x0), int(y0), int(x1 - x0), int(y1 - y0)


def swap_face(
    frame: Frame,
    source: SourceFace,
    lm: Landmarks,
    mouth_mask: bool,
    blend: str = "feather",
    times: StageTimes | None = None,
) -> bool:
    """Paste the source face onto the face at `lm` in `frame`, in place. False when nothing was pasted."""
    times = times or StageTimes()
    roi = _roi(lm, frame.shape)
    if roi is None:
        return False
    x, y, w, h = roi
    iod = inter_ocular(lm)
    level = int(np.clip(np.floor(np.log2(source.iod / max(iod, 1.0))), 0, len(source.levels) - 1))
    t = time.perf_counter()
    warped, covered = warp_face(source.levels[level], source.landmarks / 2**level, lm, source.triangles, roi)
    t = times.add("warp", t)
    target = frame[y : y + h, x : x + w]
    local: np.ndarray = lm - np.array([x, y], np.float32)
    # Pixels no triangle covers (a fold on a turned head) keep the target rather than going black.
    region = create_region_mask(local, (h, w)) & covered
    alpha = create_face_mask(region, iod)
    if mouth_mask:
        alpha = cv2.multiply(alpha, 1.0 - create_mouth_mask(local, (h, w), iod))
    t = times.add("mask", t)
    face = match_colour(warped, target, region, iod)
    t = times.add("colour", t)
    if blend == "laplacian":
        face = np.where(region[..., None] > 0, face, target)
        frame[y : y + h, x : x + w] = blend_laplacian(face, target, alpha)
    else:
        frame[y : y + h, x : x + w] = blend_feather(face, target, alpha)
    times.add("blend", t)
    return True
