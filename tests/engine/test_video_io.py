"""Queue depth is capped by bytes, so peak memory does not grow with the frame size squared."""

from __future__ import annotations

from deepfakesweb.engine.video_io import queue_depth


def test_queues_hold_fewer_large_frames():
    assert queue_depth(1280, 720) == 6
    assert queue_depth(1920, 1080) == 3
    assert queue_depth(3840, 2160) == 2
