from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import av

from tests.factories import CLIP, FACE, NO_FACE


def _swap(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deepfakesweb", "swap", *args], capture_output=True, text=True,
                          timeout=180)


def test_swap_writes_a_labelled_video_and_prints_a_summary(tmp_path: Path) -> None:
    output = tmp_path / "out.mp4"
    result = _swap(str(FACE), str(CLIP), str(output), "--mouth-mask")
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("129 frames, ") and "identity score 0." in summary
    with av.open(str(output)) as container:
        assert container.streams.video[0].frames == 129
        assert "AI-generated" in container.metadata["comment"]


def test_swap_on_a_still_target_writes_a_still(tmp_path: Path) -> None:
    output = tmp_path / "out.png"
    result = _swap(str(FACE), str(Path(CLIP).parent / "face_biden.jpg"), str(output))
    assert result.returncode == 0, result.stderr
    assert output.stat().st_size > 0 and output.read_bytes()[:4] == b"\x89PNG"


def test_swap_reports_engine_errors_with_their_code(tmp_path: Path) -> None:
    result = _swap(str(NO_FACE), str(CLIP), str(tmp_path / "out.mp4"))
    assert result.returncode == 1
    assert "no_face_in_source" in result.stderr and not (tmp_path / "out.mp4").exists()
