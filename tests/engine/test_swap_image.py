"""swap_image: a still target gives a labelled still."""

from __future__ import annotations

import cv2

from deepfakesweb import GENERATOR
from deepfakesweb.engine import SwapOptions, swap_image
from tests.engine.factories import BIDEN, OBAMA, TWO_PEOPLE, workdir_path


def test_still_target_gives_a_labelled_swapped_png():
    out = workdir_path("still.png")
    report = swap_image(OBAMA, BIDEN, out, SwapOptions())
    assert report.frames == 1 and report.faces_swapped == 1 and report.identity_score > 0.4
    assert cv2.absdiff(cv2.imread(out), cv2.imread(BIDEN)).mean() > 0.3
    with open(out, "rb") as f:
        assert f"AI-generated face swap ({GENERATOR})".encode() in f.read(4096)


def test_still_with_two_people_swaps_one_or_both():
    one = swap_image(OBAMA, TWO_PEOPLE, workdir_path("still-one.jpg"), SwapOptions())
    both = swap_image(OBAMA, TWO_PEOPLE, workdir_path("still-both.jpg"), SwapOptions(multiple_faces=True))
    assert (one.faces_swapped, both.faces_swapped) == (1, 2)
    assert cv2.imread(workdir_path("still-one.jpg")) is not None
