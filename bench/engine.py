"""Engine benchmark: passthrough floor vs swap fps, stages, peak RSS, identity, coverage, mouth.

Run: .venv/bin/python bench/engine.py   (prints a table; figures are for this machine, ratios travel)
Each swap runs in a child process so its peak RSS is its own.
swap fps = frames / wall time of the whole swap_video call (model loading, source photo, identity prescan
included); setup = the part of that call before the first frame is decoded; "excl. setup" = frames / (wall -
setup). Rows "looped 4x" play the one-face clip four times over (before upscaling) so setup weighs less.
Peak RSS is the swap process's own peak plus that of its descriptor process (dlib runs there).
Rows "warm worker" run the call the way `deepfakesweb worker` does from its second job on: with the face models
(FaceAnalyser) the thread already loaded for an earlier job (a warm-up swap of the 480x270 clip, not timed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time

import av
import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from deepfakesweb.engine import FaceAnalyser, StageTimes, SwapOptions, swap_video  # noqa: E402
from deepfakesweb.engine.models import model_path  # noqa: E402
from deepfakesweb.engine.video_io import FrameReader, FrameWriter, audio_copyable, is_end, open_video  # noqa: E402

DATA = os.path.join(ROOT, "tests", "data")
SOURCE = os.path.join(DATA, "face_obama.jpg")
ONE_FACE = os.path.join(DATA, "video_headpose_one_face.mp4")
HAMILTON = "/work/shared/testdata/video_whitehouse_hamilton_audio_multiface.mp4"
BENCH_OPTIONS = {"multiple_faces": False, "mouth_mask": True}
SETUP = "setup (once, s)"  # the StageTimes key swap_video records its one-time setup under


def floor_fps(target: str, output: str) -> float:
    """Plain decode + re-encode through the engine's own reader/writer threads, same x264 settings."""
    started = time.perf_counter()
    container = open_video(target)
    reader = FrameReader(container, audio_copyable(container), container.streams.video[0].frames or 0)
    writer = FrameWriter(output, reader, SwapOptions(), 0)
    reader.start()
    writer.start()
    frames = 0
    while not is_end(item := reader.out.get()):
        frames += hasattr(item, "image")
        writer.submit(item)
    writer.finish()
    container.close()
    return frames / (time.perf_counter() - started)


def child_swap(target: str, output: str, options_json: str, warm: bool = False) -> None:
    times = StageTimes()
    options = SwapOptions(**json.loads(options_json))
    analyser = FaceAnalyser() if warm else None
    if analyser is not None:  # an earlier job of the same worker thread loaded the models
        swap_video(SOURCE, ONE_FACE, output + ".warmup.mp4", options, analyser=analyser)
    helpers = HelperPeaks()
    report = swap_video(SOURCE, target, output, options, times=times, analyser=analyser)
    setup = times.seconds.pop(SETUP, 0.0)
    stages = {k: round(v * 1000 / report.frames, 2) for k, v in times.seconds.items()}
    own_mb, helper_mb = peak_rss_kib("self") / 1024, helpers.stop() / 1024
    print(json.dumps({"report": report.__dict__, "stages": stages, "setup_s": setup,
                      "rss_mb": round(own_mb + helper_mb), "helper_mb": round(helper_mb)}))


def peak_rss_kib(pid: str) -> int:
    """A process's own peak RSS (VmHWM); 0 once it is gone. ru_maxrss is not used: Linux carries the parent's
    peak across fork + exec into it, so a child would report the bench process's peak instead of its own."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return 0


class HelperPeaks(threading.Thread):
    """Peak RSS of this process's children (the engine's descriptor process), polled every 20 ms, so that the
    figure printed is the swap's whole footprint: own peak + each helper's peak (an upper bound).
    The last reading before a child exits is kept, not the largest: a child caught between fork and exec
    reports its parent's memory."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[str, int] = {}
        self.done = threading.Event()
        self.start()

    def run(self) -> None:
        while not self.done.wait(0.02):
            for pid in self.children():
                self.peaks[pid] = peak_rss_kib(pid) or self.peaks.get(pid, 0)

    @staticmethod
    def children() -> list[str]:
        found = []
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children") as f:
                found += f.read().split()
        return found

    def stop(self) -> int:
        self.done.set()
        self.join()
        return sum(self.peaks.values())


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def upscale(src: str, dst: str, width: int, height: int, loops: int = 1) -> str:
    """LANCZOS upscale of `src`, played `loops` times over (a longer input of the same content)."""
    with av.open(src) as inp:
        rate = inp.streams.video[0].average_rate
    with av.open(dst, "w") as out:
        stream = out.add_stream("libx264", rate=rate)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"crf": "16", "preset": "veryfast"}
        for _ in range(loops):
            with av.open(src) as inp:  # streamed: the bench process itself stays small
                for frame in inp.decode(video=0):
                    img = cv2.resize(frame.to_ndarray(format="bgr24"), (width, height),
                                     interpolation=cv2.INTER_LANCZOS4)
                    out.mux(stream.encode(av.VideoFrame.from_ndarray(img, format="bgr24")))
        out.mux(stream.encode(None))
    return dst


def frames_of(path: str, step: int = 1) -> list[np.ndarray]:
    with av.open(path) as c:
        return [f.to_ndarray(format="bgr24") for i, f in enumerate(c.decode(video=0)) if i % step == 0]


class Judge:
    """dlib HOG detector (upsample 1) and descriptors: an independent view of what was swapped."""

    def __init__(self) -> None:
        import dlib

        self.dlib = dlib
        self.detector = dlib.get_frontal_face_detector()
        self.predictor = dlib.shape_predictor(model_path("shape_predictor_5"))
        self.resnet = dlib.face_recognition_model_v1(model_path("face_recognition_resnet"))

    def faces(self, bgr: np.ndarray, min_px: int = 40) -> list:
        return [r for r in self.detector(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), 1) if r.width() >= min_px]

    def descriptor(self, bgr: np.ndarray, rect) -> np.ndarray:
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        return np.array(self.resnet.compute_face_descriptor(rgb, self.predictor(rgb, rect)))


def changed(orig: np.ndarray, out: np.ndarray, rect) -> bool:
    """A face counts as swapped when its inner box differs clearly more than re-encode noise."""
    x0, y0 = max(rect.left(), 0), max(rect.top(), 0)
    x1, y1 = rect.right(), rect.bottom()
    dx, dy = (x1 - x0) // 4, (y1 - y0) // 4
    a, b = orig[y0 + dy : y1 - dy, x0 + dx : x1 - dx], out[y0 + dy : y1 - dy, x0 + dx : x1 - dx]
    return a.size > 0 and float(cv2.absdiff(a, b).mean()) > 6.0


def identity_figures(judge: Judge, target: str, output: str, step: int) -> dict:
    src_img = cv2.imread(SOURCE)
    src = judge.descriptor(src_img, judge.faces(src_img)[0])
    closer, d_src, d_orig = 0, [], []
    for orig, out in zip(frames_of(target, step), frames_of(output, step), strict=True):
        for rect in judge.faces(orig):
            if not changed(orig, out, rect):
                continue
            swapped = judge.descriptor(out, rect)
            d_src.append(float(np.linalg.norm(swapped - src)))
            d_orig.append(float(np.linalg.norm(swapped - judge.descriptor(orig, rect))))
            closer += d_src[-1] < d_orig[-1]
    n = len(d_src)
    return {"faces": n, "closer_pct": 100.0 * closer / n if n else 0.0,
            "d_src": float(np.mean(d_src)) if n else 0.0, "d_orig": float(np.mean(d_orig)) if n else 0.0}


def coverage(judge: Judge, target: str, output: str, step: int) -> tuple[int, int]:
    found = swapped = 0
    for orig, out in zip(frames_of(target, step), frames_of(output, step), strict=True):
        for rect in judge.faces(orig):
            found += 1
            swapped += changed(orig, out, rect)
    return swapped, found


def mouth_ratio(target: str, swapped: str, reencoded: str, step: int) -> float:
    """Mean pixel difference inside the original's lips: swap with mouth_mask vs plain re-encode."""
    from deepfakesweb.engine.analyse import FaceAnalyser
    from deepfakesweb.engine.geometry import LIPS_OUTER

    diffs = {"swap": [], "plain": []}
    with FaceAnalyser() as analyser:
        for orig, sw, pl in zip(frames_of(target, step), frames_of(swapped, step), frames_of(reencoded, step),
                                strict=True):
            for lm in analyser.landmarks_in_image(orig):
                mask = np.zeros(orig.shape[:2], np.uint8)
                cv2.fillPoly(mask, [np.round(lm[LIPS_OUTER]).astype(np.int32)], 1)
                diffs["swap"].append(cv2.absdiff(orig, sw)[mask > 0].mean())
                diffs["plain"].append(cv2.absdiff(orig, pl)[mask > 0].mean())
    return float(np.mean(diffs["swap"]) / max(np.mean(diffs["plain"]), 1e-6))


def bench_clips(tmp: str) -> list[tuple[str, str, int]]:
    """(name, path, identity judge step) per row."""
    clips = [("480x270", ONE_FACE, 5)]
    if os.path.exists(HAMILTON):
        clips.append(("640x360 Hamilton", HAMILTON, 5))
    for w, h in ((1280, 720), (1920, 1080)):
        clips.append((f"{w}x{h}", upscale(ONE_FACE, f"{tmp}/{h}.mp4", w, h), 5))
    for w, h in ((1280, 720), (1920, 1080)):
        clips.append((f"{w}x{h} looped 4x", upscale(ONE_FACE, f"{tmp}/{h}x4.mp4", w, h, loops=4), 20))
    for w, h in ((1280, 720), (1920, 1080)):
        clips.append((f"{w}x{h} warm worker", f"{tmp}/{h}.mp4", 5))
    return clips


def bench_row(judge: Judge, tmp: str, name: str, path: str, step: int) -> dict:
    key = name.replace(" ", "_")
    plain = f"{tmp}/{key}_plain.mp4"
    floor = floor_fps(path, plain)
    out = f"{tmp}/{key}_swap.mp4"
    res = run_child("--swap-warm" if name.endswith("warm worker") else "--swap", path, out, json.dumps(BENCH_OPTIONS))
    rep = res["report"]
    fps, frames, setup = rep["fps"], rep["frames"], res["setup_s"]
    steady = frames / max(rep["seconds"] - setup, 1e-6)
    ident = identity_figures(judge, path, out, step)
    stages = ", ".join(f"{k} {v}" for k, v in res["stages"].items())
    print(f"| {name} | {frames} | {floor:.1f} | {fps:.1f} | {fps / floor:.2f} | {setup:.2f} | {steady:.1f} "
          f"| {steady / floor:.2f} | {stages} | {res['rss_mb']} | {ident['closer_pct']:.0f}% of {ident['faces']} "
          f"| {ident['d_src']:.2f} | {ident['d_orig']:.2f} |")
    return {"name": name, "floor": floor, "fps": fps, "steady": steady, "rss": res["rss_mb"], "out": out,
            "plain": plain, "path": path, "ident": ident}


def verdicts(rows: dict[str, dict]) -> None:
    """The targets, stated plainly for each way of measuring."""
    for name in ("1280x720", "1280x720 looped 4x", "1280x720 warm worker"):
        r = rows[name]
        for label, fps in (("whole call", r["fps"]), ("excl. setup", r["steady"])):
            ok = fps >= 45 and fps / r["floor"] >= 0.3
            print(f"target 720p >= 45 fps and >= 0.3x floor, {name}, {label}: {fps:.1f} fps, "
                  f"{fps / r['floor']:.2f}x -> {'met' if ok else 'MISSED'}")
    for name in ("1920x1080", "1920x1080 looped 4x", "1920x1080 warm worker"):
        r = rows[name]
        print(f"target 1080p >= 25 fps, {name}, whole call: {r['fps']:.1f} -> {'met' if r['fps'] >= 25 else 'MISSED'}; "
              f"peak RSS {r['rss']} MB (< 600) -> {'met' if r['rss'] < 600 else 'MISSED'}")


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="dfw-bench-")
    clips = bench_clips(tmp)
    judge = Judge()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "deepfakesweb/engine", "bench/engine.py"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    print(f"commit {commit.stdout.strip() or '(none)'}{' + uncommitted engine/bench changes' if dirty else ''}; "
          f"cores {os.cpu_count()}; load {os.getloadavg()[0]:.2f}; options {BENCH_OPTIONS}")
    print("| clip | frames | floor fps | swap fps | ratio | setup s | fps excl. setup | ratio excl. setup "
          "| stages ms/frame | peak RSS MB | closer to source | d(src) | d(orig) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    rows = {name: bench_row(judge, tmp, name, path, step) for name, path, step in clips}
    first = rows["480x270"]
    mouth = mouth_ratio(first["path"], first["out"], first["plain"], 2)
    print(f"\nmouth region difference, mouth_mask on vs plain re-encode (480x270): {mouth:.2f}x (target <= 1.5x)")
    if os.path.exists(HAMILTON):
        out = f"{tmp}/hamilton_multi.mp4"
        res = run_child("--swap", HAMILTON, out, json.dumps({"multiple_faces": True, "mouth_mask": True}))
        swapped, found = coverage(judge, HAMILTON, out, 2)
        print(f"Hamilton multiple_faces=true: {res['report']['fps']:.1f} fps; coverage {swapped}/{found} = "
              f"{100.0 * swapped / max(found, 1):.1f}% of HOG faces >= 40 px (every 2nd frame; target >= 90%)")
    verdicts(rows)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] in ("--swap", "--swap-warm"):
        child_swap(sys.argv[2], sys.argv[3], sys.argv[4], warm=sys.argv[1] == "--swap-warm")
    else:
        main()
