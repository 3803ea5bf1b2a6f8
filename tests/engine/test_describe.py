"""The descriptor process: same descriptors as in-process dlib, urgent first, and no loss when the child dies."""

from __future__ import annotations

import os
import signal
from functools import cache

import cv2
import numpy as np
import pytest

from deepfakesweb.engine import describe as describe_module
from deepfakesweb.engine.analyse import FaceAnalyser, crop_for_descriptor
from deepfakesweb.engine.describe import DescriptorProcess
from deepfakesweb.engine.describe_child import describe, load_models
from deepfakesweb.engine.models import model_path
from tests.engine.factories import BIDEN, OBAMA

MODEL_PATHS = (model_path("shape_predictor_5"), model_path("face_recognition_resnet"))


@cache
def face_crop(path: str) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    image = cv2.imread(path)
    with FaceAnalyser() as analyser:
        return crop_for_descriptor(image, analyser.landmarks_in_image(image)[0])


@cache
def in_process_descriptor(path: str) -> np.ndarray:
    return describe(load_models(*MODEL_PATHS), *face_crop(path))


def make_process() -> DescriptorProcess:
    return DescriptorProcess(*MODEL_PATHS)


def test_the_child_computes_the_same_descriptor_as_dlib_in_process():
    process = make_process()
    try:
        assert process.pid is not None
        got = process.submit(*face_crop(OBAMA)).result(timeout=30)
    finally:
        process.close()
    np.testing.assert_allclose(got, in_process_descriptor(OBAMA), atol=1e-6)


def test_urgent_requests_are_answered_before_background_ones_sent_earlier():
    process, order = make_process(), []
    try:
        background = process.submit(*face_crop(BIDEN), urgent=False)
        background.add_done_callback(lambda _: order.append("background"))
        urgent = [process.submit(*face_crop(OBAMA)) for _ in range(2)]
        for future in urgent:
            future.add_done_callback(lambda _: order.append("urgent"))
        background.result(timeout=30)
    finally:
        process.close()
    assert order == ["urgent", "urgent", "background"]
    np.testing.assert_allclose(background.result(), in_process_descriptor(BIDEN), atol=1e-6)


def test_descriptors_asked_for_when_the_child_is_killed_still_come_back():
    process = make_process()
    try:
        process.submit(*face_crop(OBAMA)).result(timeout=30)  # the child is up
        pending = [process.submit(*face_crop(BIDEN)) for _ in range(3)]
        os.kill(process.pid or 0, signal.SIGKILL)
        later = process.submit(*face_crop(OBAMA))
        results = [f.result(timeout=30) for f in pending]
        latest = later.result(timeout=30)
    finally:
        process.close()
    for got in results:
        np.testing.assert_allclose(got, in_process_descriptor(BIDEN), atol=1e-6)
    np.testing.assert_allclose(latest, in_process_descriptor(OBAMA), atol=1e-6)


def test_a_child_that_cannot_start_leaves_the_descriptors_to_this_process(monkeypatch):
    monkeypatch.setattr(describe_module, "_CHILD_SCRIPT", "/nonexistent/describe_child.py")
    process = make_process()
    try:
        got = process.submit(*face_crop(OBAMA), urgent=False).result(timeout=30)
    finally:
        process.close()
    np.testing.assert_allclose(got, in_process_descriptor(OBAMA), atol=1e-6)


def test_closing_ends_the_child_and_cancels_what_it_had_not_answered():
    process = make_process()
    pid = process.pid
    queued = [process.submit(*face_crop(OBAMA), urgent=False) for _ in range(5)]
    process.close()
    assert any(f.cancelled() for f in queued)
    with pytest.raises(ProcessLookupError):
        os.kill(pid or 0, 0)  # reaped, not a zombie
