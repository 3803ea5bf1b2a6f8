"""Face analysis backends: detection (mediapipe full range), 468-point mesh on a crop, dlib identity.

One FaceAnalyser per swap call (or per thread): mediapipe graphs are not shared between threads.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager

import cv2
import mediapipe as mp  # imported with the engine (0.65 s, once per process), not inside a swap call
import numpy as np
from google.protobuf import text_format
from mediapipe.framework import calculator_pb2
from mediapipe.framework.formats import rect_pb2
from mediapipe.python.solution_base import PacketDataType, SolutionBase

from deepfakesweb.engine.describe import DescriptorProcess
from deepfakesweb.engine.geometry import BROWS, box_of
from deepfakesweb.engine.models import model_path
from deepfakesweb.engine.options import Box, Descriptor, Frame, Landmarks

__all__ = ["FaceAnalyser", "AnalyserPool", "ThreadAnalysers", "descriptor_distance", "crop_for_descriptor",
           "analyser_for"]

_DETECT_SIDE = 640  # the detector sees 192x192 anyway; shrinking first makes conversion cheap
_CROP_SIDE = 256
_MESH_CROP_SCALE = 1.9  # crop side relative to the face box: room for the mesh detector's context
_FOLLOW_SIDE = 192  # the landmark model's own input size
_FOLLOW_SCALE = 1.4  # crop side over last frame's landmark box (mediapipe's own tracking uses 1.5)
_EYE_OUTER = (33, 263)
# mediapipe's landmark subgraph alone, fed a region of interest: following a face from last frame's landmarks
# skips the short-range detector FaceMesh runs on every still (3.1-3.7 instead of 4.8-5.7 ms a face at 720p;
# same jitter, landmarks within 2% of the inter-ocular distance of the detector-seeded ones).
_FOLLOW_GRAPH = """
input_stream: "IMAGE:image"
input_stream: "ROI:roi"
output_stream: "LANDMARKS:face_landmarks"
input_side_packet: "WITH_ATTENTION:with_attention"
node {
  calculator: "FaceLandmarkCpu"
  input_stream: "IMAGE:image"
  input_stream: "ROI:roi"
  output_stream: "LANDMARKS:face_landmarks"
  input_side_packet: "WITH_ATTENTION:with_attention"
}
"""
_WHOLE_CROP = rect_pb2.NormalizedRect(x_center=0.5, y_center=0.5, width=1.0, height=1.0, rotation=0.0)


def descriptor_distance(a: Descriptor, b: Descriptor) -> float:
    return float(np.linalg.norm(np.asarray(a) - np.asarray(b)))


def crop_for_descriptor(frame: Frame, lm: Landmarks) -> tuple[Frame, tuple[int, int, int, int]]:
    """A contiguous RGB crop around the face at `lm` (twice its size, for dlib's 5-point aligner) and the
    face's rectangle in it: left, top, right, bottom."""
    x0, x1 = float(lm[:, 0].min()), float(lm[:, 0].max())
    y0, y1 = float(lm[BROWS, 1].min()), float(lm[:, 1].max())
    side = max(x1 - x0, y1 - y0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    bx, by, bw, bh = box_of(np.array([[cx - side, cy - side], [cx + side, cy + side]], np.float32))
    ox, oy = max(bx, 0), max(by, 0)
    crop = np.ascontiguousarray(cv2.cvtColor(frame[oy : by + bh, ox : bx + bw], cv2.COLOR_BGR2RGB))
    left, top = int(cx - side / 2 - ox), int(cy - side / 2 - oy)
    return crop, (left, top, left + int(side), top + int(side))


class FaceAnalyser:
    """Owns mediapipe's detector and mesh graphs and (from the first descriptor on) a descriptor process."""

    def __init__(self, min_confidence: float = 0.5) -> None:
        model_path("face_detection_full_range")
        model_path("face_mesh")
        self._detector = mp.solutions.face_detection.FaceDetection(
            model_selection=1, min_detection_confidence=min_confidence
        )
        self._mesh = mp.solutions.face_mesh.FaceMesh(
            static_image_mode=True, max_num_faces=2, min_detection_confidence=0.4
        )
        self._follower = SolutionBase(
            graph_config=text_format.Parse(_FOLLOW_GRAPH, calculator_pb2.CalculatorGraphConfig()),
            side_inputs={"with_attention": False},
            outputs=["face_landmarks"],
            stream_type_hints={"image": PacketDataType.IMAGE, "roi": PacketDataType.PROTO},
        )
        self._describer: DescriptorProcess | None = None

    def close(self) -> None:
        self._detector.close()
        self._mesh.close()
        self._follower.close()
        if self._describer is not None:
            self._describer.close()

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

    def follow_landmarks(self, frame: Frame, previous: Landmarks) -> Landmarks | None:
        """468 landmarks of the face that had `previous` a frame ago; None when the model sees no face there.
        The crop is levelled on the eyes and sized as mediapipe's own tracking does it."""
        (x0, y0), (x1, y1) = previous.min(axis=0), previous.max(axis=0)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        dx, dy = previous[_EYE_OUTER[1]] - previous[_EYE_OUTER[0]]
        scale = _FOLLOW_SIDE / (_FOLLOW_SCALE * max(x1 - x0, y1 - y0, 1.0))
        cos, sin = scale * np.array([dx, -dy]) / max(float(np.hypot(dx, dy)), 1e-6)
        half = _FOLLOW_SIDE / 2
        to_crop = np.array([[cos, -sin, half - cos * cx + sin * cy], [sin, cos, half - sin * cx - cos * cy]],
                           np.float32)
        crop = cv2.warpAffine(frame, to_crop, (_FOLLOW_SIDE, _FOLLOW_SIDE), flags=cv2.INTER_LINEAR)
        found = self._follower.process({"image": cv2.cvtColor(crop, cv2.COLOR_BGR2RGB), "roi": _WHOLE_CROP})
        if found.face_landmarks is None:
            return None
        pts = np.array([(p.x, p.y) for p in found.face_landmarks.landmark], np.float32) * _FOLLOW_SIDE
        back = cv2.invertAffineTransform(to_crop)
        return pts @ back[:, :2].T + back[:, 2]

    def landmarks_in_image(self, image: Frame) -> list[Landmarks]:
        """Landmarks of every face in a still image, largest first."""
        faces = [self.detect_landmarks(image, box) for box in self.detect_faces(image)]
        return [lm for lm in faces if lm is not None]

    def describe(self, frame: Frame, lm: Landmarks, *, urgent: bool = True) -> Future[Descriptor]:
        """dlib's 128-d identity descriptor of the face at `lm`, computed in the helper process (~75 ms each:
        sample it). The future lets the swap go on meanwhile; `urgent=False` waits until the process is idle."""
        crop, rect = crop_for_descriptor(frame, lm)
        return self.start_descriptors().submit(crop, rect, urgent=urgent)

    def create_descriptor(self, frame: Frame, lm: Landmarks) -> Descriptor:
        return self.describe(frame, lm).result()

    @property
    def descriptor_pid(self) -> int | None:
        """The descriptor process's pid while it runs."""
        return self._describer.pid if self._describer is not None else None

    def start_descriptors(self) -> DescriptorProcess:
        """The descriptor process, started now if it is not running (0.25 s, beside whatever comes next).
        Otherwise it starts on the first descriptor: upload validation never needs one."""
        if self._describer is None:
            self._describer = DescriptorProcess(model_path("shape_predictor_5"), model_path("face_recognition_resnet"))
        return self._describer


@contextmanager
def analyser_for(given: FaceAnalyser | None) -> Iterator[FaceAnalyser]:
    """The caller's analyser, left open (a worker thread reuses one across jobs), or a fresh one for this call."""
    if given is not None:
        yield given
        return
    with FaceAnalyser() as fresh:
        fresh.start_descriptors()
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


class ThreadAnalysers:
    """One analyser per worker thread, kept across its jobs with the descriptor process running, and closed
    together (descriptor processes included) once the threads have stopped."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._opened: list[FaceAnalyser] = []
        self._lock = threading.Lock()

    def for_this_thread(self) -> FaceAnalyser:
        analyser: FaceAnalyser | None = getattr(self._local, "analyser", None)
        if analyser is None:
            analyser = self._local.analyser = FaceAnalyser()
            analyser.start_descriptors()
            with self._lock:
                self._opened.append(analyser)
        return analyser

    def close(self) -> None:
        """Call after the threads that used them have finished: a mediapipe graph is not shared."""
        with self._lock:
            opened, self._opened = self._opened, []
        for analyser in opened:
            analyser.close()
