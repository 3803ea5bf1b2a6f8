"""Still images: decoding, the source face, and writing a labelled still."""

from __future__ import annotations

import os
import struct
import zlib

import cv2
import numpy as np

from deepfakesweb.engine.analyse import FaceAnalyser
from deepfakesweb.engine.errors import InvalidImage, NoFaceInSource
from deepfakesweb.engine.options import Frame, Landmarks
from deepfakesweb.engine.swapper import SourceFace, prepare_source
from deepfakesweb.engine.video_io import LABEL

__all__ = ["read_image", "detect_source_face", "write_labelled_image"]


def read_image(path: str | os.PathLike[str]) -> Frame:
    """BGR pixels of an image file (EXIF orientation applied, alpha dropped); InvalidImage otherwise."""
    try:
        data = np.fromfile(os.fspath(path), np.uint8)
    except OSError as exc:
        raise InvalidImage(f"cannot read the image: {exc}") from exc
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise InvalidImage("not a decodable image")
    return image


def largest_face(analyser: FaceAnalyser, image: Frame) -> Landmarks:
    faces = analyser.landmarks_in_image(image)
    if not faces:
        raise NoFaceInSource("no face found in the source image")
    return max(faces, key=lambda lm: float(np.ptp(lm[:, 0]) * np.ptp(lm[:, 1])))


def detect_source_face(analyser: FaceAnalyser, path: str | os.PathLike[str]) -> SourceFace:
    image = read_image(path)
    lm = largest_face(analyser, image)
    return prepare_source(image, lm, analyser.describe(image, lm, urgent=False))


def _png_text_chunk(key: str, text: str) -> bytes:
    body = key.encode("latin-1") + b"\0" + text.encode("latin-1")
    return struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", zlib.crc32(b"tEXt" + body))


def _label(data: bytes, ext: str) -> bytes:
    # The synthetic-media label goes into the file's own comment field: PNG tEXt, JPEG COM.
    if ext == ".png":
        end_of_ihdr = 8 + 25
        chunks = _png_text_chunk("Comment", LABEL) + _png_text_chunk("Description", LABEL)
        return data[:end_of_ihdr] + chunks + data[end_of_ihdr:]
    if ext in (".jpg", ".jpeg"):
        body = LABEL.encode("utf-8")
        return data[:2] + b"\xff\xfe" + struct.pack(">H", len(body) + 2) + body + data[2:]
    return data


def write_labelled_image(image: Frame, path: str | os.PathLike[str]) -> None:
    """Encode by the output's extension (PNG when it has none cv2 knows) with the synthetic label."""
    ext = os.path.splitext(os.fspath(path))[1].lower()
    fmt = ext if ext in (".png", ".jpg", ".jpeg", ".webp", ".bmp") else ".png"
    ok, encoded = cv2.imencode(fmt, image)
    if not ok:
        raise InvalidImage(f"cannot encode the output image as {fmt}")
    tmp = f"{os.fspath(path)}.partial"
    with open(tmp, "wb") as f:
        f.write(_label(encoded.tobytes(), fmt))
    os.replace(tmp, path)
