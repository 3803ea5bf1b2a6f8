"""Face analysis backends: detection (mediapipe full range), 468-point mesh on a crop, dlib identity.

One FaceAnalyser per swap call (or per thread): mediapipe graphs are not shared between threads.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import cv2
import dlib
import mediapipe as mp  # imported with the engine (0.65 s, once per process), not inside a swap call
import numpy as np

from deepfakesweb.engine.geometry import BROWS, box_of
from deepfakesweb.engine.models import model_path
from deepfakesweb.engine.options import Box, Descriptor, Frame, Landmarks

__all__ = ["FaceAnalyser", "AnalyserPool", "descriptor_distance", "analyser_for"]

_DETECT_SIDE = 640  # the detector sees 192x192 anyway; shrinking first makes conversion cheap
_CROP_SIDE = 256
_MESH_CROP_SCALE = 1.9  # crop side relative to the face box: room for the mesh detector's context


def descriptor_distance(a: Descriptor, b: Descriptor) -> float:
    return float(np.linalg.norm(np.asarray(a) - np.asarray(b)))


class FaceAnalyser:
    """Owns one mediapipe detector, one mesh graph and (lazily) dlib's identity models."""

    def __init__(self, min_confidence: float = 0.5) -> None:
        model_path("face_detection_full_range")
        model_path("face_mesh")
        self._detector = mp.solutions.face_detection.FaceDetection(
            model_selection=1, min_detection_confidence=min_confidence
        )
        self._mesh = mp.solutions.face_mesh.FaceMesh(
            static_image_mode=True, max_num_faces=2, min_detection_confidence=0.4
        )
        self._dlib: tuple[object, object] | None = None

    def close(self) -> None:
        self._detector.close()
        self._mesh.close()

    def __enter__(self) -> FaceAnalyser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


    def detect_faces(self, frame: Frame) -> list[Box]:
        """Boxes (x, y, w, h) of faces in a whole BGR frame, largest first."""
        h, w = frame.shape[:2]
        scale = min(1.0, _DETECT_SIDE / max(h, w))
        small = cv2.resize(frame, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
        result = self._detector.process(cv2.cvtColor(small, cv2.COLOR_BGR2RGB))
        boxes = []
        for det in result.detections or []:
            rb = det.location_data.relative_bounding_box
            boxes.append((int(rb.xmin * w), int(rb.ymin * h), int(rb.width * w), int(rb.height * h)))
        return sorted(boxes, key=lambda b: -b[2] * b[3])

    def detect_landmarks(self, frame: Frame, box: Box) -> Landmarks | None:
        """468 landmarks of the face in `box`, found on an upright square crop around it."""
        x, y, w, h = box
        side = max(w, h) * _MESH_CROP_SCALE
        scale = _CROP_SIDE / side
        cx, cy = x + w / 2, y + h / 2
        half = _CROP_SIDE / 2
        to_crop = np.array([[scale, 0, half - cx * scale], [0, scale, half - cy * scale]], np.float32)
        crop = cv2.warpAffine(frame, to_crop, (_CROP_SIDE, _CROP_SIDE), flags=cv2.INTER_LINEAR)
        result = self._mesh.process(cv2.cvtColor(crop, cv2.COLOR_BGR2RGB))
        if not result.multi_face_landmarks:
            return None
        # A neighbour can share the crop: the face asked for is the one nearest the crop's centre.
        faces = result.multi_face_landmarks
        nearest = min(faces, key=lambda f: (f.landmark[1].x - 0.5) ** 2 + (f.landmark[1].y - 0.5) ** 2)
        pts = np.array([(p.x, p.y) for p in nearest.landmark], np.float32)
        pts *= _CROP_SIDE / scale
        pts += np.array([cx - side / 2, cy - side / 2], np.float32)
        return pts

    def landmarks_in_image(self, image: Frame) -> list[Landmarks]:
        """Landmarks of every face in a still image, largest first."""
        faces = [self.detect_landmarks(image, box) for box in self.detect_faces(image)]
        return [lm for lm in faces if lm is not None]

    def _dlib_models(self) -> tuple[object, object]:
        if self._dlib is None:
            self._dlib = (
                dlib.shape_predictor(model_path("shape_predictor_5")),
                dlib.face_recognition_model_v1(model_path("face_recognition_resnet")),
            )
        return self._dlib

    def create_descriptor(self, frame: Frame, lm: Landmarks) -> Descriptor:
        """dlib's 128-d identity descriptor of the face at `lm` (costs ~80 ms: sample it)."""
        predictor, resnet = self._dlib_models()
        x0, x1 = float(lm[:, 0].min()), float(lm[:, 0].max())
        y0, y1 = float(lm[BROWS, 1].min()), float(lm[:, 1].max())
        side = max(x1 - x0, y1 - y0)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        bx, by, bw, bh = box_of(np.array([[cx - side, cy - side], [cx + side, cy + side]], np.float32))
        fh, fw = frame.shape[:2]
        ox, oy = max(bx, 0), max(by, 0)
        crop = np.ascontiguousarray(cv2.cvtColor(frame[oy : by + bh, ox : bx + bw], cv2.COLOR_BGR2RGB))
        half = side / 2
        left, top = int(cx - half - ox), int(cy - half - oy)
        rect = dlib.rectangle(left, top, left + int(side), top + int(side))
        shape = predictor(crop, rect)  # type: ignore[operator]
        return np.array(resnet.compute_face_descriptor(crop, shape), np.float64)  # type: ignore[attr-defined]


@contextmanager
def analyser_for(given: FaceAnalyser | None) -> Iterator[FaceAnalyser]:
    """The caller's analyser, left open (a worker thread reuses one across jobs), or a fresh one for this call."""
    if given is not None:
        yield given
        return
    with FaceAnalyser() as fresh:
        yield fresh


class AnalyserPool:
    """At most `size` analysers, created on first need and lent to one thread at a time (request threads of a
    server come and go, so a per-thread cache would keep one per thread ever seen)."""

    def __init__(self, size: int = 2) -> None:
        self._idle: queue.LifoQueue[FaceAnalyser] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)

    @contextmanager
    def borrow(self) -> Iterator[FaceAnalyser]:
        with self._slots:
            try:
                analyser = self._idle.get_nowait()
            except queue.Empty:
                analyser = FaceAnalyser()
            try:
                yield analyser
            finally:
                self._idle.put(analyser)
