"""`deepfakesweb swap SOURCE_IMAGE TARGET OUTPUT`: the engine from the command line."""

from __future__ import annotations

import os
from pathlib import Path

import typer

__all__ = ["register"]

_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}


def _summary(report: object) -> str:
    score = getattr(report, "identity_score", None)
    return (
        f"{report.frames} frames, {report.faces_swapped} faces swapped in {report.frames_swapped} frames, "  # type: ignore[attr-defined]
        f"{report.fps:.1f} fps, identity score {'n/a' if score is None else f'{score:.3f}'}"  # type: ignore[attr-defined]
    )


def swap(
    source_image: Path = typer.Argument(..., help="photo of the face to put in"),
    target: Path = typer.Argument(..., help="video (or still image) whose face is replaced"),
    output: Path = typer.Argument(..., help="where to write the result (MP4 for a video)"),
    multiple_faces: bool = typer.Option(False, "--multiple-faces", help="swap every face, not just the main one"),
    mouth_mask: bool = typer.Option(False, "--mouth-mask", help="keep the target's own mouth (speech)"),
) -> None:
    """Swap the face in SOURCE_IMAGE into TARGET and write OUTPUT (labelled as AI-generated)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from deepfakesweb.engine import EngineError, SwapOptions, swap_image, swap_video

    console = Console(stderr=True)
    options = SwapOptions(multiple_faces=multiple_faces, mouth_mask=mouth_mask)
    try:
        if target.suffix.lower() in _IMAGE_SUFFIXES:
            report = swap_image(source_image, target, output, options)
        else:
            columns = (TextColumn("swapping"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("{task.fields[fps]:.1f} fps"), TimeRemainingColumn())
            with Progress(*columns, console=console, transient=True) as progress:
                task = progress.add_task("swap", total=None, fps=0.0)

                def on_progress(done: int, total: int) -> None:
                    elapsed = progress.tasks[0].elapsed or 0.0
                    progress.update(task, completed=done, total=total, fps=done / elapsed if elapsed else 0.0)

                report = swap_video(source_image, target, output, options, on_progress=on_progress)
    except EngineError as exc:
        console.print(f"[red]error ({exc.code}):[/red] {exc.message}")
        raise typer.Exit(code=1) from exc
    typer.echo(f"{os.fspath(output)}: {_summary(report)}")


def register(app: typer.Typer) -> None:
    app.command("swap")(swap)
