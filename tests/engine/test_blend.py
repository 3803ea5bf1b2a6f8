"""Masks built at a reduced scale still cover the face and fade out inside its edge."""

from __future__ import annotations

import cv2
import numpy as np

from deepfakesweb.engine.blend import blend_feather, create_face_mask, match_colour


def _disc(side: int, radius: int) -> np.ndarray:
    region = np.zeros((side, side), np.uint8)
    cv2.circle(region, (side // 2, side // 2), radius, (1,), -1)
    return region


def test_face_mask_is_one_inside_and_zero_outside_the_region():
    region = _disc(400, 150)
    alpha = create_face_mask(region, iod=150.0)  # feather radius 18 px: shaped at quarter scale
    assert alpha.shape == region.shape and alpha.dtype == np.float32
    assert alpha[200, 200] > 0.99
    assert float(alpha[region == 0].max()) == 0.0
    # the fade lies inside the edge, within about the feather radius of it
    assert alpha[200, 200 + 150 - 2] < 0.5 < alpha[200, 200 + 150 - 40]


def test_colour_match_takes_the_targets_low_frequencies():
    region = _disc(200, 90)
    warped = np.full((200, 200, 3), 100, np.uint8)
    target = np.full((200, 200, 3), 160, np.uint8)
    face = match_colour(warped, target, region, iod=60.0)
    assert face.dtype == np.uint8 and abs(int(face[100, 100, 0]) - 160) <= 1


def test_feather_blend_follows_alpha():
    face = np.full((4, 4, 3), 200, np.uint8)
    target = np.zeros((4, 4, 3), np.uint8)
    alpha = np.array([[0.0, 0.5, 1.0, 1.0]] * 4, np.float32)
    out = blend_feather(face, target, alpha)
    assert out[0, :, 0].tolist() == [0, 100, 200, 200]
