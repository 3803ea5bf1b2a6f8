"""Piecewise-affine warp of the source face onto target landmarks: one triangle-index raster, one remap."""

from __future__ import annotations

import cv2
import numpy as np

from deepfakesweb.engine.options import Box, Frame, Landmarks

__all__ = ["triangulate", "affines_between", "warp_face"]

Triangles = np.ndarray  # T x 3 landmark indices


def triangulate(lm: Landmarks) -> Triangles:
    """Delaunay triangles of the landmarks as index triples; computed once per source face."""
    x0, y0 = lm.min(axis=0) - 10
    x1, y1 = lm.max(axis=0) + 10
    subdiv = cv2.Subdiv2D((int(x0), int(y0), int(x1 - x0) + 1, int(y1 - y0) + 1))
    for p in lm:
        subdiv.insert((float(p[0]), float(p[1])))
    lookup = {(round(float(p[0]), 3), round(float(p[1]), 3)): i for i, p in enumerate(lm)}
    triangles = []
    for t in subdiv.getTriangleList():
        corners = [lookup.get((round(float(t[k]), 3), round(float(t[k + 1]), 3))) for k in (0, 2, 4)]
        if None not in corners:
            triangles.append(corners)
    return np.array(triangles, np.int32)


def affines_between(dst: np.ndarray, src: np.ndarray) -> np.ndarray:
    """Per-triangle 2x3 affines mapping dst triangle corners onto src ones, T x 6.

    Closed form (Cramer's rule) instead of np.linalg.solve, which wakes OpenBLAS spin threads.
    """
    x1, y1 = dst[:, 0, 0], dst[:, 0, 1]
    x2, y2 = dst[:, 1, 0], dst[:, 1, 1]
    x3, y3 = dst[:, 2, 0], dst[:, 2, 1]
    det = x1 * (y2 - y3) + x2 * (y3 - y1) + x3 * (y1 - y2)
    det = np.where(np.abs(det) < 1e-6, 1e-6, det)
    # inverse of [[x1 x2 x3], [y1 y2 y3], [1 1 1]]: rows give the barycentric weights
    inv = np.stack(
        [
            np.stack([y2 - y3, x3 - x2, x2 * y3 - x3 * y2], -1),
            np.stack([y3 - y1, x1 - x3, x3 * y1 - x1 * y3], -1),
            np.stack([y1 - y2, x2 - x1, x1 * y2 - x2 * y1], -1),
        ],
        1,
    ) / det[:, None, None]
    out = np.einsum("tkc,tkj->tcj", src, inv)  # T x 2 x 3
    return out.reshape(-1, 6).astype(np.float32)


def warp_face(
    source: Frame, src_lm: Landmarks, dst_lm: Landmarks, triangles: Triangles, roi: Box
) -> tuple[Frame, np.ndarray]:
    """The source face warped into the target `roi` (x, y, w, h), and the 0/1 mask of covered pixels."""
    x, y, w, h = roi
    dst: np.ndarray = dst_lm - np.array([x, y], np.float32)
    raster = np.zeros((h, w), np.int16)
    corners: np.ndarray = np.round(dst[triangles]).astype(np.int32)
    for i, tri in enumerate(corners, start=1):
        cv2.fillConvexPoly(raster, tri, (i,))
    table = np.empty((len(triangles) + 1, 6), np.float32)
    table[0] = (0, 0, -1e4, 0, 0, -1e4)  # outside every triangle: sample far outside the source
    table[1:] = affines_between(dst[triangles].astype(np.float64), src_lm[triangles].astype(np.float64))
    coef = table[raster]
    xs = np.arange(w, dtype=np.float32)[None, :]
    ys = np.arange(h, dtype=np.float32)[:, None]
    map_x = coef[..., 0] * xs + coef[..., 1] * ys + coef[..., 2]
    map_y = coef[..., 3] * xs + coef[..., 4] * ys + coef[..., 5]
    warped = cv2.remap(source, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    return warped, (raster > 0).astype(np.uint8)
