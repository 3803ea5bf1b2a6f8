"""The engine's one exception tree. Each error carries a stable code the API maps to 422 / `error`."""

from __future__ import annotations

__all__ = [
    "EngineError",
    "NoFaceInSource",
    "NoFaceInVideo",
    "InvalidImage",
    "InvalidVideo",
    "TooLong",
    "TooLarge",
    "Cancelled",
    "ModelMissing",
]


class EngineError(Exception):
    code = "internal"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NoFaceInSource(EngineError):
    code = "no_face_in_source"


class NoFaceInVideo(EngineError):
    code = "no_face_in_video"


class InvalidImage(EngineError):
    code = "invalid_image"


class InvalidVideo(EngineError):
    code = "invalid_video"


class TooLong(EngineError):
    code = "too_long"


class TooLarge(EngineError):
    code = "too_large"


class Cancelled(EngineError):
    code = "cancelled"


class ModelMissing(EngineError):
    code = "model_missing"
