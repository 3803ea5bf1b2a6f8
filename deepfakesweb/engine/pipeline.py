"""swap_video / swap_image: decode -> track -> swap -> encode, streaming frame by frame."""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import numpy as np

from deepfakesweb.engine.analyse import FaceAnalyser, analyser_for, descriptor_distance
from deepfakesweb.engine.blend import paste_watermark
from deepfakesweb.engine.errors import Cancelled, NoFaceInVideo, TooLarge, TooLong
from deepfakesweb.engine.geometry import box_of, yaw_ratio
from deepfakesweb.engine.identity import Sighting, choose_prominent
from deepfakesweb.engine.images import detect_source_face, largest_face, read_image, write_labelled_image
from deepfakesweb.engine.options import Descriptor, Frame, Landmarks, SwapOptions, SwapReport, VideoInfo
from deepfakesweb.engine.probe import inspect_video
from deepfakesweb.engine.swapper import SourceFace, StageTimes, swap_face
from deepfakesweb.engine.track import FaceTracker, Track
from deepfakesweb.engine.video_io import (
    FrameReader,
    FrameWriter,
    VideoFrameItem,
    audio_copyable,
    is_end,
    open_video,
)

__all__ = ["swap_video", "swap_image"]

Path = str | os.PathLike[str]
_POLL_S = 0.25  # progress and cancel are checked this often (the contract asks for once a second)


def _check_limits(info: VideoInfo, options: SwapOptions) -> None:
    if options.max_duration_s is not None and info.duration_s > options.max_duration_s:
        raise TooLong(f"the video lasts {info.duration_s:.1f} s; the limit is {options.max_duration_s:g} s")
    if options.max_side_px is not None and max(info.width, info.height) > options.max_side_px:
        raise TooLarge(f"the video is {info.width}x{info.height}; the limit is {options.max_side_px} px")


def _upright(image: Frame, rotation: int) -> Frame:
    return np.ascontiguousarray(np.rot90(image, rotation // 90)) if rotation % 360 else image


def _swappable(lm: Landmarks, options: SwapOptions) -> bool:
    _, _, w, h = box_of(lm)
    return min(w, h) >= options.min_face_px and yaw_ratio(lm) >= options.min_yaw_ratio


def _prescan(path: Path, info: VideoInfo, analyser: FaceAnalyser, options: SwapOptions) -> Future[Descriptor] | None:
    """Identity of the most prominent person, from a few frames spread over the video."""
    container = open_video(path)
    stream = container.streams.video[0]
    samples = int(np.clip(round(info.duration_s / 1.5), 3, 8))
    faces: list[list[tuple[Frame, Landmarks]]] = []
    try:
        for k in range(samples):
            seconds = info.duration_s * (k + 0.5) / samples
            container.seek(int(seconds / stream.time_base) + (stream.start_time or 0), stream=stream)
            frame = next(container.decode(stream), None)
            if frame is None:
                continue
            image = _upright(frame.to_ndarray(format="bgr24"), info.rotation)
            faces.append([(image, lm) for lm in analyser.landmarks_in_image(image) if _swappable(lm, options)])
    except Exception:  # noqa: BLE001 - the prescan is a hint; the main pass reports real errors
        pass
    finally:
        container.close()
    return _prominent_identity(faces, analyser, options)


def _face_area(landmarks: Landmarks) -> float:
    _, _, w, h = box_of(landmarks)
    return float(w * h)


def _prominent_identity(faces: list[list[tuple[Frame, Landmarks]]], analyser: FaceAnalyser,
                        options: SwapOptions) -> Future[Descriptor] | None:
    """With one face per sampled frame at most, the largest is the prominent one: one descriptor (75 ms)
    instead of one per sample. Only frames with several faces need clustering by identity."""
    sightings = [pair for frame_faces in faces for pair in frame_faces]
    if not sightings:
        return None
    if all(len(frame_faces) <= 1 for frame_faces in faces):
        image, lm = max(sightings, key=lambda pair: _face_area(pair[1]))
        return analyser.describe(image, lm)
    futures = [(analyser.describe(image, lm), _face_area(lm)) for image, lm in sightings]
    chosen = choose_prominent([Sighting(f.result(), area) for f, area in futures], options.identity_threshold)
    if chosen is None:
        return None
    prominent: Future[Descriptor] = Future()
    prominent.set_result(chosen)
    return prominent


class _Job:
    """State of one swap_video call; nothing outlives it."""

    def __init__(self, source: SourceFace, analyser: FaceAnalyser, options: SwapOptions, info: VideoInfo):
        self.source, self.analyser, self.options, self.info = source, analyser, options, info
        fps = info.fps or 25.0
        self.tracker = FaceTracker(analyser, round(options.detect_every_s * fps), options.smoothing)
        self.prescanned: Future[Descriptor] | None = None  # the prominent person, resolved at first need
        self.reference: Descriptor | None = None
        self.times = StageTimes()
        self.frames_swapped = self.faces_swapped = 0
        self.identity_samples: list[Future[Descriptor]] = []
        self.next_sample_t = 0.0
        self.total_frames = 0

    def _choose(self, tracks: list[Track], frame: Frame, t: float) -> list[Track]:
        """multiple_faces=False: the one track whose face is the followed person, if any."""
        # A lone track cannot have drifted onto someone else's face, so only crowds are re-verified.
        crowded = len(tracks) > 1
        due = [tr for tr in tracks if _swappable(tr.raw, self.options) and (
            tr.descriptor is None or (crowded and t - tr.descriptor_t >= self.options.reverify_s))]
        # All asked for before waiting on any: the descriptor process works through them meanwhile.
        described = [(track, self.analyser.describe(frame, track.raw)) for track in due]
        if self.prescanned is not None and described:
            self.reference, self.prescanned = self.prescanned.result(), None
        for track, descriptor in described:
            track.descriptor, track.descriptor_t = descriptor.result(), t
            if self.reference is None:
                self.reference = track.descriptor
            track.distance = descriptor_distance(track.descriptor, self.reference)
        matching = [tr for tr in tracks if tr.distance < self.options.identity_threshold]
        return [min(matching, key=lambda tr: tr.distance)] if matching else []

    def process(self, image: Frame, index: int, t: float) -> Frame:
        frame = _upright(image, self.info.rotation)
        start = time.perf_counter()
        tracks = self.tracker.update(frame, index, t)
        start = self.times.add("track", start)
        if not self.options.multiple_faces:
            tracks = self._choose(tracks, frame, t)
            start = self.times.add("identity", start)
        chosen = [tr for tr in tracks if _swappable(tr.landmarks, self.options)]
        swapped = [tr for tr in chosen if swap_face(frame, self.source, tr.landmarks, self.options.mouth_mask,
                                                    self.options.blend, self.times)]
        start = time.perf_counter()
        if swapped and t >= self.next_sample_t:
            self._sample_identity(frame, swapped)
            self.next_sample_t = t + self.options.identity_sample_s
        self.times.add("identity", start)
        self.frames_swapped += bool(swapped)
        self.faces_swapped += len(swapped)
        if self.options.visible_watermark:
            paste_watermark(frame)
        return _upright(frame, -self.info.rotation) if self.info.rotation % 360 else frame

    def _sample_identity(self, frame: Frame, swapped: list[Track]) -> None:
        for track in sorted(swapped, key=lambda tr: -box_of(tr.landmarks)[2])[:2]:
            self.identity_samples.append(self.analyser.describe(frame, track.landmarks, urgent=False))

    def identity_distances(self) -> list[float]:
        source = self.source.descriptor.result()
        return [descriptor_distance(sample.result(), source) for sample in self.identity_samples]


def _frame_time(item: VideoFrameItem, fps: float) -> float:
    if item.pts is not None and item.time_base is not None:
        return float(item.pts * item.time_base)
    return item.index / (fps or 25.0)


def _run(job: _Job, reader: FrameReader, writer: FrameWriter, total: int,
         on_progress: Callable[[int, int], None] | None, should_cancel: Callable[[], bool] | None) -> int:
    done, last_poll = 0, 0.0
    while True:
        now = time.monotonic()
        if now - last_poll >= _POLL_S:
            last_poll = now
            if should_cancel is not None and should_cancel():
                raise Cancelled("the job was cancelled")
            if on_progress is not None:
                on_progress(done, max(total, done))
        try:
            item = reader.out.get(timeout=_POLL_S)
        except queue.Empty:
            if not reader.is_alive() and reader.out.empty():
                break
            continue
        if is_end(item):
            break
        if isinstance(item, VideoFrameItem):
            item.image = job.process(item.image, item.index, _frame_time(item, job.info.fps))
            done += 1
        writer.submit(item)
    if reader.error is not None:
        raise reader.error
    return done


def swap_video(
    source: Path,
    target: Path,
    output: Path,
    options: SwapOptions,
    on_progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    *,
    times: StageTimes | None = None,
    analyser: FaceAnalyser | None = None,
) -> SwapReport:
    """Swap the source photo's face into the target video; see the README's engine section for the contract.
    `analyser`: models to reuse (one per thread); without it the call loads its own (about 0.5 s)."""
    started = time.perf_counter()
    info = inspect_video(target)
    _check_limits(info, options)
    with analyser_for(analyser) as analyser:
        source_face = detect_source_face(analyser, source)
        job = _Job(source_face, analyser, options, info)
        if times is not None:
            job.times = times
        if not options.multiple_faces:
            job.prescanned = _prescan(target, info, analyser, options)
        job.times.add("setup (once, s)", started)
        _swap_streams(job, target, os.fspath(output), on_progress, should_cancel)
        if job.frames_swapped == 0:
            os.remove(output)
            raise NoFaceInVideo("no frame of the video had a face that could be swapped")
        distances = job.identity_distances()
    return _report(job, distances, time.perf_counter() - started)


def _swap_streams(job: _Job, target: Path, output: str, on_progress: Any, should_cancel: Any) -> None:
    container = open_video(target)
    expected = container.streams.video[0].frames or 0
    reader = FrameReader(container, audio_copyable(container), expected)
    partial = f"{output}.partial"
    writer = FrameWriter(partial, reader, job.options, job.info.rotation)
    writer.times = job.times
    reader.start()
    writer.start()
    try:
        job.total_frames = _run(job, reader, writer, expected or round(job.info.duration_s * job.info.fps),
                                on_progress, should_cancel)
        writer.finish()
        os.replace(partial, output)
        if on_progress is not None:
            on_progress(job.total_frames, job.total_frames)
    except BaseException:
        writer.abort()
        if os.path.exists(partial):
            os.remove(partial)
        raise
    finally:
        reader.stop.set()
        reader.join(timeout=5)
        container.close()


def _report(job: _Job, distances: list[float], seconds: float) -> SwapReport:
    frames = job.total_frames
    return SwapReport(
        frames=frames,
        frames_swapped=job.frames_swapped,
        faces_swapped=job.faces_swapped,
        seconds=round(seconds, 3),
        fps=round(frames / seconds, 2) if seconds > 0 else 0.0,
        identity_score=round(1.0 - float(np.mean(distances)), 4) if distances else None,
    )


def swap_image(source: Path, target: Path, output: Path, options: SwapOptions, *,
               analyser: FaceAnalyser | None = None) -> SwapReport:
    """A still target: swap the largest face (every face with multiple_faces); write a labelled still."""
    started = time.perf_counter()
    image = read_image(target)
    with analyser_for(analyser) as analyser:
        source_face = detect_source_face(analyser, source)
        faces = analyser.landmarks_in_image(image)
        if not faces:
            raise NoFaceInVideo("no face found in the target image")
        faces = faces if options.multiple_faces else [largest_face(analyser, image)]
        swapped = [lm for lm in faces if swap_face(image, source_face, lm, options.mouth_mask, options.blend)]
        samples = [analyser.describe(image, lm) for lm in swapped]
        distances = [descriptor_distance(sample.result(), source_face.descriptor.result()) for sample in samples]
    if options.visible_watermark:
        paste_watermark(image)
    write_labelled_image(image, output)
    seconds = time.perf_counter() - started
    return SwapReport(1, int(bool(swapped)), len(swapped), round(seconds, 3), round(1 / seconds, 2),
                      round(1.0 - float(np.mean(distances)), 4) if distances else None)

