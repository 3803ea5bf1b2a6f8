"""`deepfakesweb swap` through Typer's runner: a summary on success, a message and non-zero exit on error."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from deepfakesweb.cli.swap import register
from tests.engine.factories import BIDEN, NO_FACE, OBAMA, make_clip, workdir_path


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    app.command("noop", hidden=True)(lambda: None)  # two commands keep `swap` a named sub-command
    return app


def test_swap_command_writes_the_video_and_prints_a_summary():
    out = workdir_path("cli-out.mp4")
    result = CliRunner().invoke(_app(), ["swap", OBAMA, make_clip("cli.mp4", frames=6), out, "--mouth-mask"])
    assert result.exit_code == 0, result.output
    assert "6 frames, 6 faces swapped" in result.output and "identity score" in result.output


def test_swap_command_with_a_still_target_writes_a_still():
    result = CliRunner().invoke(_app(), ["swap", OBAMA, BIDEN, workdir_path("cli-still.png")])
    assert result.exit_code == 0 and "1 frames, 1 faces swapped" in result.output


def test_swap_command_reports_errors_and_exits_non_zero():
    result = CliRunner().invoke(_app(), ["swap", NO_FACE, make_clip("cli2.mp4", frames=3), workdir_path("e.mp4")])
    assert result.exit_code == 1
    assert "no_face_in_source" in result.output
