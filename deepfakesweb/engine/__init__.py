"""The face-swap engine: offline, CPU-only, models from pip packages. No web, DB or queue imports here."""

from __future__ import annotations

from deepfakesweb.engine.analyse import AnalyserPool, FaceAnalyser, ThreadAnalysers
from deepfakesweb.engine.errors import (
    Cancelled,
    EngineError,
    InvalidImage,
    InvalidVideo,
    ModelMissing,
    NoFaceInSource,
    NoFaceInVideo,
    TooLarge,
    TooLong,
)
from deepfakesweb.engine.models import MODELS, ModelSpec, model_path
from deepfakesweb.engine.options import ImageInfo, SwapOptions, SwapReport, VideoInfo
from deepfakesweb.engine.pipeline import swap_image, swap_video
from deepfakesweb.engine.probe import inspect_image, inspect_video
from deepfakesweb.engine.swapper import StageTimes
from deepfakesweb.engine.video_io import LABEL

__all__ = [
    "AnalyserPool",
    "ThreadAnalysers",
    "FaceAnalyser",
    "SwapOptions",
    "SwapReport",
    "ImageInfo",
    "VideoInfo",
    "StageTimes",
    "LABEL",
    "inspect_image",
    "inspect_video",
    "swap_video",
    "swap_image",
    "MODELS",
    "ModelSpec",
    "model_path",
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
