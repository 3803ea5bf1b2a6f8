"""Face-mesh geometry: landmark index sets and measures derived from 468 landmarks."""

from __future__ import annotations

import numpy as np

from deepfakesweb.engine.options import Box, Landmarks

__all__ = [
    "FACE_OVAL",
    "LIPS_OUTER",
    "BROWS",
    "box_of",
    "eye_centres",
    "inter_ocular",
    "yaw_ratio",
    "cut_oval_above_brows",
    "five_points",
]

# Ordered rings of mediapipe's 468-point canonical face mesh.
FACE_OVAL = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377,
             152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109]
LIPS_OUTER = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185]
BROWS = [276, 283, 282, 295, 285, 300, 293, 334, 296, 336, 46, 53, 52, 65, 55, 70, 63, 105, 66, 107]
_EYE_A = (33, 133)  # image-left eye: outer, inner corner
_EYE_B = (263, 362)  # image-right eye: outer, inner corner
_NOSE_TIP, _NOSE_BASE, _CHIN = 1, 2, 152
_CHEEK_A, _CHEEK_B = 234, 454


def box_of(points: np.ndarray) -> Box:
    x0, y0 = np.floor(points.min(axis=0)).astype(int)
    x1, y1 = np.ceil(points.max(axis=0)).astype(int)
    return int(x0), int(y0), int(x1 - x0), int(y1 - y0)


def eye_centres(lm: Landmarks) -> tuple[np.ndarray, np.ndarray]:
    return lm[list(_EYE_A)].mean(axis=0), lm[list(_EYE_B)].mean(axis=0)


def inter_ocular(lm: Landmarks) -> float:
    a, b = eye_centres(lm)
    return float(np.hypot(*(b - a)))


def yaw_ratio(lm: Landmarks) -> float:
    """1 for a frontal face, towards 0 as the head turns into profile."""
    a, b = eye_centres(lm)
    axis = (b - a) / max(float(np.hypot(*(b - a))), 1e-6)
    left = float(np.dot(lm[_NOSE_TIP] - lm[_CHEEK_A], axis))
    right = float(np.dot(lm[_CHEEK_B] - lm[_NOSE_TIP], axis))
    if left <= 0 or right <= 0:
        return 0.0
    return min(left, right) / max(left, right)


def cut_oval_above_brows(lm: Landmarks, margin: float = 0.1) -> np.ndarray:
    """The face-oval polygon with its forehead cut `margin` inter-ocular distances above the brows.

    The source's hair (bangs) lives above the brows; pasting it looks wrong on any other head.
    """
    a, b = eye_centres(lm)
    centre = (a + b) / 2
    up = centre - lm[_CHIN]
    up /= max(float(np.hypot(*up)), 1e-6)
    oval = lm[FACE_OVAL].astype(np.float32)
    limit = float(np.max((lm[BROWS] - centre) @ up)) + margin * inter_ocular(lm)
    height = (oval - centre) @ up
    excess = np.maximum(height - limit, 0.0)
    return oval - excess[:, None] * up[None, :]


def five_points(lm: Landmarks) -> np.ndarray:
    """Centres used to build a rectangle for dlib's 5-point aligner."""
    a, b = eye_centres(lm)
    return np.stack([a, b, lm[_NOSE_BASE], lm[_CHIN]])
