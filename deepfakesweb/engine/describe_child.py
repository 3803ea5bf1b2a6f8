"""dlib identity descriptors, and the loop a helper process runs to serve them.

Run as a script by DescriptorProcess (describe.py), not imported through the package, so the child starts
with numpy and dlib only (0.25 s) instead of mediapipe and the rest of the engine. Protocol on stdin/stdout:
the child writes READY once its models are loaded; a request is HEADER (crop height, width; face rectangle
left, top, right, bottom) then the RGB crop's bytes; each reply is the 128 float64 of its descriptor, in
request order.
"""

from __future__ import annotations

import signal
import struct
import sys
from typing import IO

import dlib
import numpy as np

__all__ = ["READY", "HEADER", "REPLY_SIZE", "Models", "load_models", "describe", "read_exact"]

READY = b"R"
HEADER = struct.Struct("<6i")
REPLY_SIZE = 128 * 8
Models = tuple[object, object]  # dlib shape_predictor (5 points), face_recognition_model_v1


def load_models(predictor_path: str, resnet_path: str) -> Models:
    return dlib.shape_predictor(predictor_path), dlib.face_recognition_model_v1(resnet_path)


def describe(models: Models, crop: np.ndarray, rect: tuple[int, int, int, int]) -> np.ndarray:
    """The 128-d descriptor of the face in `rect` of an RGB crop (~75 ms; holds the GIL throughout)."""
    predictor, resnet = models
    shape = predictor(crop, dlib.rectangle(*rect))  # type: ignore[operator]
    return np.array(resnet.compute_face_descriptor(crop, shape), np.float64)  # type: ignore[attr-defined]


def read_exact(stream: IO[bytes], size: int) -> bytes | None:
    """`size` bytes, or None at end of stream."""
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def serve(models: Models, requests: IO[bytes], replies: IO[bytes]) -> None:
    replies.write(READY)
    replies.flush()
    while (head := read_exact(requests, HEADER.size)) is not None:
        height, width, *rect = HEADER.unpack(head)
        pixels = read_exact(requests, height * width * 3)
        if pixels is None:
            return
        crop = np.frombuffer(pixels, np.uint8).reshape(height, width, 3)
        replies.write(describe(models, crop, (rect[0], rect[1], rect[2], rect[3])).tobytes())
        replies.flush()


if __name__ == "__main__":
    # Ctrl-C in a terminal reaches the whole process group; the parent decides when this child ends
    # (it closes stdin), so the child neither dies mid-reply nor prints a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(load_models(sys.argv[1], sys.argv[2]), sys.stdin.buffer, sys.stdout.buffer)
