"""inspect_image / inspect_video: fast upload validation."""

from __future__ import annotations

import pytest

from deepfakesweb.engine import InvalidImage, InvalidVideo, NoFaceInSource, inspect_image, inspect_video
from tests.engine.factories import (
    NO_FACE,
    OBAMA,
    ONE_FACE,
    TWO_PEOPLE,
    make_bytes_file,
    make_clip,
    make_truncated,
)


def test_inspect_image_reports_size_and_largest_face():
    info = inspect_image(OBAMA)
    assert (info.width, info.height, info.face_count) == (910, 1137, 1)
    x, y, w, h = info.face_box
    assert 300 < x < 450 and 100 < y < 200 and 200 < w < 320


def test_inspect_image_counts_every_face():
    assert inspect_image(TWO_PEOPLE).face_count == 2


def test_inspect_image_without_a_face():
    with pytest.raises(NoFaceInSource):
        inspect_image(NO_FACE)


def test_inspect_image_that_does_not_decode():
    with pytest.raises(InvalidImage) as err:
        inspect_image(make_bytes_file("garbage.jpg", b"\xff\xd8not really a jpeg"))
    assert err.value.code == "invalid_image"


def test_inspect_video_reports_container_facts():
    info = inspect_video(ONE_FACE)
    assert (info.width, info.height, info.fps, info.codec) == (480, 270, 25.0, "h264")
    assert info.frames == 129 and abs(info.duration_s - 5.16) < 0.05
    assert not info.has_audio and info.rotation == 0


def test_inspect_video_sees_audio_and_rotation():
    info = inspect_video(make_clip("probe-rot-audio.mp4", frames=5, rotation=90, audio=True))
    assert info.has_audio and info.rotation == 90 and (info.width, info.height) == (270, 480)


def test_inspect_video_rejects_non_video():
    with pytest.raises(InvalidVideo):
        inspect_video(make_bytes_file("text.mp4", b"hello, this is not a video" * 100))


def test_inspect_video_rejects_a_file_cut_before_its_first_frame():
    with pytest.raises(InvalidVideo):
        inspect_video(make_truncated("cut-head.mp4", keep=0.001))
