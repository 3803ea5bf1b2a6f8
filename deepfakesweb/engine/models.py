"""Model registry: which file each model lives in, its licence and purpose. Data, not code paths.

Files are located on disk only (pip-installed packages); the engine never touches the network.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass

from deepfakesweb.engine.errors import ModelMissing

__all__ = ["ModelSpec", "MODELS", "model_path"]


@dataclass(frozen=True)
class ModelSpec:
    name: str
    package: str  # the pip package whose installed files hold the model
    relative_path: str  # inside the package directory; "" when the package loads it itself
    licence: str
    purpose: str


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            "face_detection_full_range",
            "mediapipe",
            "modules/face_detection/face_detection_full_range_sparse.tflite",
            "Apache-2.0",
            "find faces, small ones included, in whole frames",
        ),
        ModelSpec(
            "face_detection_short_range",
            "mediapipe",
            "modules/face_detection/face_detection_short_range.tflite",
            "Apache-2.0",
            "face mesh's own detector, run on a face crop",
        ),
        ModelSpec(
            "face_mesh",
            "mediapipe",
            "modules/face_landmark/face_landmark.tflite",
            "Apache-2.0",
            "468-point face landmarks on a face crop",
        ),
        ModelSpec(
            "shape_predictor_5",
            "face_recognition_models",
            "models/shape_predictor_5_face_landmarks.dat",
            "CC0 / public domain (Davis King)",
            "5-point alignment for the identity descriptor",
        ),
        ModelSpec(
            "face_recognition_resnet",
            "face_recognition_models",
            "models/dlib_face_recognition_resnet_model_v1.dat",
            "CC0 / public domain (Davis King)",
            "128-d identity descriptor: follow one person, score the swap",
        ),
    )
}


def _package_dir(package: str) -> str:
    # find_spec locates the package without importing it (face_recognition_models imports pkg_resources).
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(f"model package {package!r} is not installed")
    return list(spec.submodule_search_locations)[0]


def model_path(name: str) -> str:
    """The file of model `name`; ModelMissing with a clear message if it is absent."""
    spec = MODELS.get(name)
    if spec is None:
        raise ModelMissing(f"unknown model {name!r}")
    path = os.path.join(_package_dir(spec.package), spec.relative_path)
    if not os.path.isfile(path):
        raise ModelMissing(f"model {name!r} ({spec.purpose}) is missing: expected {path}")
    return path
