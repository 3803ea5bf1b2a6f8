"""Masks, colour matching and blending of a warped face into the target region."""

from __future__ import annotations

import cv2
import numpy as np

from deepfakesweb.engine.geometry import LIPS_OUTER, cut_oval_above_brows
from deepfakesweb.engine.options import Frame, Landmarks, Mask

__all__ = [
    "create_region_mask",
    "create_face_mask",
    "create_mouth_mask",
    "match_colour",
    "blend_feather",
    "blend_laplacian",
    "paste_watermark",
]


def _odd(n: float) -> int:
    return max(3, int(n) | 1)


def create_region_mask(lm: Landmarks, shape: tuple[int, int]) -> np.ndarray:
    """Hard 0/1 uint8 mask of the face oval, cut above the brows, in ROI coordinates."""
    mask = np.zeros(shape, np.uint8)
    cv2.fillPoly(mask, [np.round(cut_oval_above_brows(lm)).astype(np.int32)], (1,))
    return mask


def _morph_blur(mask: np.ndarray, radius: int, grow: bool) -> Mask:
    """Erode (or dilate) a 0/1 mask by `radius` px and blur it over about the same width.

    The feather is smooth, so it is shaped at a reduced scale (radius kept >= 4 px there) and resized back:
    the cost follows the face's size, not the square of it.
    """
    h, w = mask.shape
    k = int(np.clip(radius // 4, 1, 4))
    small = mask if k == 1 else cv2.resize(mask, (max(1, w // k), max(1, h // k)), interpolation=cv2.INTER_NEAREST)
    r = max(1, -(-radius // k))  # rounded up: never erode less than asked
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (r * 2 + 1,) * 2)
    shaped = cv2.dilate(small, kernel) if grow else cv2.erode(small, kernel)
    soft = cv2.GaussianBlur(shaped.astype(np.float32), (_odd(r * 3),) * 2, r / 2)
    return soft if k == 1 else cv2.resize(soft, (w, h), interpolation=cv2.INTER_LINEAR)


def create_face_mask(region: np.ndarray, iod: float) -> Mask:
    """Feathered alpha that is 1 inside the face and fades to 0 just inside the oval edge."""
    # The resized-back blur has a faint tail (< 0.05) past the edge; the face must not leak out there.
    return cv2.multiply(_morph_blur(region, max(1, int(0.12 * iod)), grow=False), region, dtype=cv2.CV_32F)


def create_mouth_mask(lm: Landmarks, shape: tuple[int, int], iod: float) -> Mask:
    """Alpha covering the target's lips and inner mouth, fully 1 on the lips, feathered outside them."""
    mask = np.zeros(shape, np.uint8)
    cv2.fillPoly(mask, [np.round(lm[LIPS_OUTER]).astype(np.int32)], (1,))
    grown = _morph_blur(mask, max(1, int(0.1 * iod)), grow=True)
    return np.maximum(grown, mask, dtype=np.float32)


def _low_pass(image: Frame, region: np.ndarray, sigma: float) -> np.ndarray:
    """Mask-normalised Gaussian blur of a uint8 image, at quarter size: only low frequencies are wanted.

    Masking and shrinking happen on uint8 (the weight is 0/1, so masking is exact); floats only at 1/16 size.
    """
    h, w = region.shape
    sw, sh = max(1, w // 4), max(1, h // 4)
    img_s = cv2.resize(cv2.bitwise_and(image, image, mask=region), (sw, sh), interpolation=cv2.INTER_AREA)
    wgt_s = cv2.resize(region * np.uint8(255), (sw, sh), interpolation=cv2.INTER_AREA)
    k = _odd(sigma / 4 * 3)
    img_f = cv2.GaussianBlur(img_s.astype(np.float32), (k, k), sigma / 4)
    wgt_f = cv2.GaussianBlur(wgt_s.astype(np.float32) * (1 / 255), (k, k), sigma / 4)
    return img_f / np.maximum(wgt_f, 1e-3)[..., None]


def match_colour(warped: Frame, target: Frame, region: np.ndarray, iod: float) -> Frame:
    """The warped face with the target's low-frequency colour and shading (side light survives)."""
    sigma = 0.5 * iod
    shift = _low_pass(target, region, sigma) - _low_pass(warped, region, sigma)
    h, w = region.shape
    shift = cv2.resize(shift, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.add(warped, shift, dtype=cv2.CV_8U)


def blend_feather(face: Frame, target: Frame, alpha: Mask) -> Frame:
    return cv2.blendLinear(face, target, alpha, 1.0 - alpha)


def blend_laplacian(face: np.ndarray, target: Frame, alpha: Mask, levels: int = 4) -> Frame:
    """Multi-band blend: wide transitions for low frequencies, narrow ones for detail."""
    h, w = alpha.shape
    levels = max(1, min(levels, int(np.log2(max(2, min(h, w)))) - 2))
    ga: list[np.ndarray] = [alpha[..., None].repeat(3, 2)]
    gf: list[np.ndarray] = [face.astype(np.float32)]
    gt: list[np.ndarray] = [target.astype(np.float32)]
    for _ in range(levels):
        ga.append(cv2.pyrDown(ga[-1]))
        gf.append(cv2.pyrDown(gf[-1]))
        gt.append(cv2.pyrDown(gt[-1]))
    out = gt[-1] + ga[-1] * (gf[-1] - gt[-1])
    for i in range(levels - 1, -1, -1):
        size = (gf[i].shape[1], gf[i].shape[0])
        lf = gf[i] - cv2.pyrUp(gf[i + 1], dstsize=size)
        lt = gt[i] - cv2.pyrUp(gt[i + 1], dstsize=size)
        out = cv2.pyrUp(out, dstsize=size) + lt + ga[i] * (lf - lt)
    return np.clip(out, 0, 255).astype(np.uint8)


def paste_watermark(frame: Frame, text: str = "AI-generated") -> None:
    """A small visible mark in the bottom-right corner (operator setting `visible_watermark`)."""
    h, w = frame.shape[:2]
    scale = max(0.35, h / 900)
    thick = max(1, round(scale * 1.5))
    (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
    org = (w - tw - int(8 * scale), h - base - int(8 * scale))
    cv2.putText(frame, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thick + 2, cv2.LINE_AA)
    cv2.putText(frame, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), thick, cv2.LINE_AA)
