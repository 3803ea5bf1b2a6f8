"""A worker thread keeps one FaceAnalyser across jobs; reusing it must give the same swap as a fresh one."""

from __future__ import annotations

import numpy as np

from deepfakesweb.engine import FaceAnalyser, SwapOptions, inspect_image, swap_video
from tests.engine.factories import BIDEN, OBAMA, ONE_FACE, read_frames, workdir_path


def test_a_reused_analyser_swaps_like_a_fresh_one_and_stays_open():
    options = SwapOptions(mouth_mask=True)
    fresh = swap_video(OBAMA, ONE_FACE, workdir_path("reuse-fresh.mp4"), options)
    with FaceAnalyser() as analyser:
        swap_video(BIDEN, ONE_FACE, workdir_path("reuse-first.mp4"), options, analyser=analyser)
        again = swap_video(OBAMA, ONE_FACE, workdir_path("reuse-again.mp4"), options, analyser=analyser)
        assert inspect_image(OBAMA, analyser=analyser).face_count == 1  # still usable after two jobs
    assert (again.frames, again.frames_swapped) == (fresh.frames, fresh.frames_swapped)
    a, b = read_frames(workdir_path("reuse-fresh.mp4")), read_frames(workdir_path("reuse-again.mp4"))
    mean_difference = np.mean([np.abs(x.astype(np.int16) - y).mean() for x, y in zip(a, b, strict=True)])
    assert mean_difference < 0.5


def test_the_pool_lends_its_analysers_again_and_never_more_than_its_size():
    import threading

    from deepfakesweb.engine import AnalyserPool

    pool, lent = AnalyserPool(1), threading.Event()

    def borrow_one() -> None:
        with pool.borrow():
            lent.set()

    with pool.borrow() as first:
        assert inspect_image(OBAMA, analyser=first).face_count == 1
        waiting = threading.Thread(target=borrow_one)
        waiting.start()
        assert not lent.wait(0.3)  # the only analyser is lent out, so the second borrower waits
    waiting.join(timeout=5)
    assert lent.is_set()
    with pool.borrow() as again:
        assert again is first


def test_each_worker_thread_keeps_its_own_analyser_until_they_are_closed_together():
    import threading

    from deepfakesweb.engine import ThreadAnalysers
    from tests.factories import descriptor_processes

    analysers, seen = ThreadAnalysers(), []
    thread = threading.Thread(target=lambda: seen.append(analysers.for_this_thread()))
    thread.start()
    thread.join()
    mine = analysers.for_this_thread()
    assert mine is analysers.for_this_thread() and mine is not seen[0]
    running = [pid for pid in descriptor_processes() if pid in (mine.descriptor_pid, seen[0].descriptor_pid)]
    assert len(running) == 2  # started with the analyser, before any job asks for a descriptor
    analysers.close()
    assert not set(running) & set(descriptor_processes())
