"""Video in and out with PyAV: a reader thread (demux + decode), a writer thread (encode + mux).

Decode and encode each get their own thread beside the processing thread; FFmpeg releases the GIL.
Queues are bounded, so memory does not grow with the video's length.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import av
import cv2
import numpy as np

from deepfakesweb import GENERATOR
from deepfakesweb.engine.errors import Cancelled, EngineError, InvalidVideo
from deepfakesweb.engine.options import Frame, SwapOptions

__all__ = [
    "LABEL",
    "is_end",
    "audio_copyable",
    "VideoFrameItem",
    "open_video",
    "even",
    "queue_depth",
    "FrameReader",
    "FrameWriter",
]

LABEL = f"AI-generated face swap ({GENERATOR})"
_COPYABLE_AUDIO = {"aac", "mp3", "alac", "ac3", "eac3", "opus", "flac"}
_END = object()
# Frames waiting in each queue are capped by bytes as well as count: 6 at 720p, 3 at 1080p (RSS target).
_QUEUE_BYTES = 20 * 2**20


@dataclass
class VideoFrameItem:
    index: int
    image: Frame  # BGR, even-sized, as coded (not rotated)
    pts: int | None
    time_base: Fraction | None


def even(n: int) -> int:
    """yuv420p needs even sides: an odd width or height loses its last pixel."""
    return n - (n % 2)


def queue_depth(width: int, height: int) -> int:
    return int(np.clip(_QUEUE_BYTES // max(1, width * height * 3), 2, 6))


def open_video(path: str | os.PathLike[str]) -> Any:
    try:
        container = av.open(os.fspath(path), mode="r")
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise InvalidVideo(f"not a decodable video: {exc}") from exc
    if not container.streams.video:
        container.close()
        raise InvalidVideo("the file has no video stream")
    return container


class _Stage(threading.Thread):
    """A daemon thread that records its exception for the processing thread to re-raise."""

    def __init__(self, name: str) -> None:
        super().__init__(name=name, daemon=True)
        self.error: BaseException | None = None
        self.stop = threading.Event()
        self.times: Any = None  # a StageTimes when the caller measures stages

    def run(self) -> None:
        try:
            self.work()
        except BaseException as exc:  # noqa: BLE001 - handed over to the processing thread
            self.error = exc
            self.on_error()

    def work(self) -> None:
        raise NotImplementedError

    def on_error(self) -> None:
        pass

    def put(self, q: queue.Queue[Any], item: Any) -> None:
        while not self.stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
        raise Cancelled("stopped")


class FrameReader(_Stage):
    """Decodes video frames to BGR arrays and forwards audio (packets to copy or frames to re-encode)."""

    def __init__(self, container: Any, audio_copy: bool, expected_frames: int, depth: int | None = None) -> None:
        super().__init__("dfw-reader")
        self.container = container
        self.video = container.streams.video[0]
        self.audio = container.streams.audio[0] if container.streams.audio else None
        self.audio_copy = audio_copy
        self.expected_frames = expected_frames
        self.width, self.height = even(self.video.codec_context.width), even(self.video.codec_context.height)
        self.depth = depth or queue_depth(self.width, self.height)
        self.out: queue.Queue[Any] = queue.Queue(maxsize=self.depth)

    def work(self) -> None:
        streams = [self.video] + ([self.audio] if self.audio is not None else [])
        index = 0
        try:
            for packet in self.container.demux(streams):
                if self.stop.is_set():
                    return
                if packet.stream is self.video:
                    for frame in packet.decode():
                        self.put(self.out, self._item(frame, index))
                        index += 1
                elif packet.dts is not None:
                    self._forward_audio(packet)
        except av.error.FFmpegError as exc:
            raise InvalidVideo(f"the video is corrupt or truncated after frame {index}: {exc}") from exc
        if self.expected_frames and index < self.expected_frames:
            raise InvalidVideo(f"the video is truncated: {index} of {self.expected_frames} frames decodable")
        self.put(self.out, _END)

    def _item(self, frame: Any, index: int) -> VideoFrameItem:
        start = time.perf_counter()
        if frame.format.name == "yuv420p" and frame.width % 2 == 0 and frame.height % 2 == 0:
            # OpenCV's BT.601 conversion is several times faster than swscale's and round-trips exactly.
            image = cv2.cvtColor(frame.to_ndarray(format="yuv420p"), cv2.COLOR_YUV2BGR_I420)
        else:
            image = frame.to_ndarray(format="bgr24")
        if self.times is not None:
            self.times.add("decode (reader thread)", start)
        if image.shape[1] != self.width or image.shape[0] != self.height:
            image = np.ascontiguousarray(image[: self.height, : self.width])
        return VideoFrameItem(index, image, frame.pts, frame.time_base)

    def _forward_audio(self, packet: Any) -> None:
        if self.audio_copy:
            self.put(self.out, packet)
            return
        for frame in packet.decode():
            self.put(self.out, frame)

    def on_error(self) -> None:
        try:
            self.put(self.out, _END)
        except Cancelled:
            pass


class FrameWriter(_Stage):
    """Encodes BGR frames with libx264 (yuv420p, faststart) and muxes audio beside them."""

    def __init__(self, path: str, reader: FrameReader, options: SwapOptions, rotation: int):
        super().__init__("dfw-writer")
        self.inbox: queue.Queue[Any] = queue.Queue(maxsize=reader.depth)
        self.output = av.open(path, mode="w", format="mp4", options={"movflags": "+faststart"})
        self.output.metadata["comment"] = LABEL
        self.output.metadata["description"] = LABEL
        self.video = self._add_video(reader, options, rotation)
        self.audio = self._add_audio(reader)
        self.resampler: Any = None
        self.finished = False

    def _add_video(self, reader: FrameReader, options: SwapOptions, rotation: int) -> Any:
        src = reader.video
        rate = src.average_rate or src.guessed_rate or Fraction(25)
        stream = self.output.add_stream("libx264", rate=rate)
        stream.width, stream.height = reader.width, reader.height
        stream.pix_fmt = "yuv420p"
        stream.time_base = src.time_base
        stream.codec_context.time_base = src.time_base
        stream.options = {"crf": str(options.crf), "preset": options.preset, "threads": str(options.threads)}
        if rotation:
            stream.set_display_rotation(rotation)
        return stream

    def _add_audio(self, reader: FrameReader) -> Any:
        if reader.audio is None:
            return None
        if reader.audio_copy:
            return self.output.add_stream_from_template(reader.audio)
        ctx = reader.audio.codec_context
        layout = ctx.layout.name or "stereo"
        return self.output.add_stream("aac", rate=ctx.sample_rate or 44100, layout=layout)

    def work(self) -> None:
        while True:
            try:
                item = self.inbox.get(timeout=0.1)
            except queue.Empty:
                if self.stop.is_set():
                    return
                continue
            if item is _END:
                if self.stop.is_set():
                    return
                break
            if isinstance(item, VideoFrameItem):
                self._encode_video(item)
            elif isinstance(item, av.Packet):
                item.stream = self.audio
                self.output.mux(item)
            else:
                self._encode_audio(item)
        self.output.mux(self.video.encode(None))
        if self.audio is not None and self.resampler is not None:
            self.output.mux(self.audio.encode(None))
        self.output.close()
        self.finished = True

    def _encode_video(self, item: VideoFrameItem) -> None:
        start = time.perf_counter()
        planes: np.ndarray = cv2.cvtColor(item.image, cv2.COLOR_BGR2YUV_I420)
        frame = av.VideoFrame.from_ndarray(planes, format="yuv420p")
        frame.pts = item.pts if item.pts is not None else item.index
        frame.time_base = item.time_base or self.video.time_base
        self.output.mux(self.video.encode(frame))
        if self.times is not None:
            self.times.add("encode (writer thread)", start)

    def _encode_audio(self, frame: Any) -> None:
        if self.resampler is None:
            ctx = self.audio.codec_context
            self.resampler = av.AudioResampler(format="fltp", layout=ctx.layout.name, rate=ctx.sample_rate)
        for out in self.resampler.resample(frame):
            out.pts = None
            self.output.mux(self.audio.encode(out))

    def submit(self, item: Any) -> None:
        if self.error is not None:
            raise self.error
        self.put(self.inbox, item)

    def finish(self) -> None:
        self.submit(_END)
        self.join()
        if self.error is not None:
            raise self.error if isinstance(self.error, EngineError) else EngineError(str(self.error))

    def abort(self) -> None:
        self.stop.set()
        try:
            self.inbox.put_nowait(_END)
        except queue.Full:
            pass
        self.join(timeout=5)
        if not self.finished:
            try:
                self.output.close()
            except Exception:  # noqa: BLE001 - the partial file is deleted anyway
                pass


def is_end(item: Any) -> bool:
    return item is _END


def audio_copyable(container: Any) -> bool:
    audio = container.streams.audio[0] if container.streams.audio else None
    return audio is not None and audio.codec_context.name in _COPYABLE_AUDIO
