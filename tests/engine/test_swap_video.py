"""swap_video end to end on real clips: what is swapped, what is kept, what the output looks like."""

from __future__ import annotations

import os
import time
from functools import cache

import av
import cv2
import numpy as np
import pytest

from deepfakesweb import GENERATOR
from deepfakesweb.engine import (
    Cancelled,
    InvalidVideo,
    NoFaceInSource,
    NoFaceInVideo,
    SwapOptions,
    SwapReport,
    TooLarge,
    TooLong,
    swap_video,
)
from deepfakesweb.engine.analyse import FaceAnalyser, descriptor_distance
from deepfakesweb.engine.geometry import LIPS_OUTER
from tests.engine.factories import (
    NO_FACE,
    OBAMA,
    TWO_FACES,
    make_clip,
    make_noface_clip,
    make_truncated,
    read_frames,
    read_pts,
    workdir_path,
)


@cache
def swapped(clip: str, **options: bool) -> tuple[str, str, SwapReport]:
    """(input clip, output, report) of one swap, shared by the tests that only look at its result."""
    factories = {
        "one": lambda: make_clip("one.mp4", frames=20),
        "two": lambda: make_clip("two.mp4", source=TWO_FACES, frames=12, audio=False),
    }
    src = factories[clip]()
    out = workdir_path(f"out-{clip}-{'-'.join(f'{k}{v}' for k, v in sorted(options.items()))}.mp4")
    return src, out, swap_video(OBAMA, src, out, SwapOptions(**options))


def half_difference(a: np.ndarray, b: np.ndarray, left: bool) -> float:
    """Share of one half's pixels that changed beyond re-encode noise (25 levels in any channel)."""
    w = a.shape[1] // 2
    sl = slice(0, w) if left else slice(w, None)
    return float((cv2.absdiff(a[:, sl], b[:, sl]).max(axis=2) > 25).mean())


def test_one_face_is_swapped_in_every_frame():
    src, out, report = swapped("one")
    assert report.frames == 20 and report.frames_swapped == 20 and report.faces_swapped == 20
    assert report.identity_score is not None and report.identity_score > 0.35
    diffs = [float(cv2.absdiff(a, b).mean()) for a, b in zip(read_frames(src), read_frames(out), strict=True)]
    assert min(diffs) > 0.5


def test_swapped_face_is_closer_to_the_source_than_the_original_was():
    src, out, _ = swapped("one")
    with FaceAnalyser() as analyser:
        source = analyser.create_descriptor(cv2.imread(OBAMA), analyser.landmarks_in_image(cv2.imread(OBAMA))[0])
        before, after = read_frames(src)[10], read_frames(out)[10]
        lm = analyser.landmarks_in_image(before)[0]
        d_before = descriptor_distance(analyser.create_descriptor(before, lm), source)
        d_after = descriptor_distance(analyser.create_descriptor(after, lm), source)
    assert d_after < 0.55 < d_before


def test_two_faces_single_mode_leaves_the_other_person_untouched():
    src, out, report = swapped("two", multiple_faces=False)
    assert report.faces_swapped == report.frames_swapped > 0
    originals, outputs = read_frames(src), read_frames(out)
    left = [half_difference(a, b, True) for a, b in zip(originals, outputs, strict=True)]
    right = [half_difference(a, b, False) for a, b in zip(originals, outputs, strict=True)]
    untouched, swapped_side = (left, right) if max(right) > max(left) else (right, left)
    assert max(untouched) < 0.001  # re-encode noise only
    # the followed person is changed exactly in the frames reported (turned-away frames are left alone)
    assert sum(share > 0.005 for share in swapped_side) == report.frames_swapped


def test_two_faces_multiple_mode_swaps_both():
    src, out, report = swapped("two", multiple_faces=True)
    assert report.faces_swapped > report.frames_swapped
    originals, outputs = read_frames(src), read_frames(out)
    assert max(half_difference(a, b, True) for a, b in zip(originals, outputs, strict=True)) > 0.005
    assert max(half_difference(a, b, False) for a, b in zip(originals, outputs, strict=True)) > 0.005


def _lips_difference(src: str, out: str) -> float:
    diffs = []
    with FaceAnalyser() as analyser:
        for before, after in zip(read_frames(src)[::4], read_frames(out)[::4], strict=True):
            lm = analyser.landmarks_in_image(before)[0]
            mask = np.zeros(before.shape[:2], np.uint8)
            cv2.fillPoly(mask, [np.round(lm[LIPS_OUTER]).astype(np.int32)], 1)
            diffs.append(cv2.absdiff(before, after)[mask > 0].mean())
    return float(np.mean(diffs))


def test_mouth_mask_keeps_the_targets_mouth():
    src, with_mask, _ = swapped("one", mouth_mask=True)
    _, without_mask, _ = swapped("one")
    assert _lips_difference(src, with_mask) < 0.5 * _lips_difference(src, without_mask)


def test_audio_is_kept():
    src = make_clip("audio.mp4", frames=15, audio=True)
    out = workdir_path("audio-out.mp4")
    swap_video(OBAMA, src, out, SwapOptions())
    with av.open(src) as a, av.open(out) as b:
        assert b.streams.audio and b.streams.audio[0].codec_context.name == "aac"
        assert b.streams.audio[0].frames == a.streams.audio[0].frames


def test_frame_count_and_variable_timestamps_are_kept():
    src = make_clip("vfr.mp4", frames=15, vfr=True)
    out = workdir_path("vfr-out.mp4")
    report = swap_video(OBAMA, src, out, SwapOptions())
    assert report.frames == 15
    assert read_pts(out) == read_pts(src)


def test_odd_dimensions_are_rounded_down_to_even():
    src = make_clip("odd.mp4", frames=8, size=(481, 271))
    out = workdir_path("odd-out.mp4")
    swap_video(OBAMA, src, out, SwapOptions())
    with av.open(out) as c:
        frame = next(c.decode(video=0))
        assert (frame.width, frame.height, frame.format.name) == (480, 270, "yuv420p")


def test_rotated_phone_clip_keeps_rotation_and_is_swapped():
    src = make_clip("rotated.mp4", frames=8, rotation=90)
    out = workdir_path("rotated-out.mp4")
    report = swap_video(OBAMA, src, out, SwapOptions())
    assert report.frames_swapped == 8
    with av.open(out) as c:
        frame = next(c.decode(video=0))
        assert frame.rotation == 90 and (frame.width, frame.height) == (270, 480)


def test_output_is_labelled_as_synthetic():
    _, out, _ = swapped("one")
    with av.open(out) as c:
        assert c.metadata["comment"] == f"AI-generated face swap ({GENERATOR})"
        assert c.metadata["description"] == c.metadata["comment"]
        assert c.streams.video[0].codec_context.name == "h264"


def test_truncated_video_is_invalid_and_leaves_no_output():
    out = workdir_path("trunc-out.mp4")
    with pytest.raises(InvalidVideo):
        swap_video(OBAMA, make_truncated("trunc.mp4"), out, SwapOptions())
    assert not os.path.exists(out) and not os.path.exists(out + ".partial")


def test_no_face_in_source():
    with pytest.raises(NoFaceInSource) as err:
        swap_video(NO_FACE, make_clip("one-short.mp4", frames=4), workdir_path("x.mp4"), SwapOptions())
    assert err.value.code == "no_face_in_source"


def test_no_face_in_video_leaves_no_output():
    out = workdir_path("noface-out.mp4")
    with pytest.raises(NoFaceInVideo) as err:
        swap_video(OBAMA, make_noface_clip("noface.mp4"), out, SwapOptions())
    assert err.value.code == "no_face_in_video" and not os.path.exists(out)


def test_cancel_stops_within_a_second_and_removes_the_partial_output():
    src = make_clip("long.mp4", frames=120)
    out = workdir_path("cancel-out.mp4")
    progress: list[tuple[int, int]] = []
    cancel_at: list[float] = []

    def should_cancel() -> bool:
        if progress and progress[-1][0] >= 5 and not cancel_at:
            cancel_at.append(time.monotonic())
        return bool(cancel_at)

    with pytest.raises(Cancelled):
        swap_video(OBAMA, src, out, SwapOptions(), on_progress=lambda d, t: progress.append((d, t)),
                   should_cancel=should_cancel)
    assert time.monotonic() - cancel_at[0] < 1.0
    assert not os.path.exists(out) and not os.path.exists(out + ".partial")
    assert progress[-1][1] == 120


def test_progress_reaches_the_total():
    progress: list[tuple[int, int]] = []
    swap_video(OBAMA, make_clip("progress.mp4", frames=10), workdir_path("progress-out.mp4"), SwapOptions(),
               on_progress=lambda d, t: progress.append((d, t)))
    assert progress[-1] == (10, 10)


def test_limits_reject_long_and_large_videos():
    src = make_clip("limits.mp4", frames=4)
    with pytest.raises(TooLong):
        swap_video(OBAMA, src, workdir_path("l.mp4"), SwapOptions(max_duration_s=0.05))
    with pytest.raises(TooLarge):
        swap_video(OBAMA, src, workdir_path("l.mp4"), SwapOptions(max_side_px=320))


def test_visible_watermark_marks_the_corner():
    src = make_clip("wm.mp4", frames=4)
    out = workdir_path("wm-out.mp4")
    swap_video(OBAMA, src, out, SwapOptions(visible_watermark=True))
    before, after = read_frames(src)[0], read_frames(out)[0]
    assert cv2.absdiff(before[-30:, -120:], after[-30:, -120:]).mean() > 10
