"""`deepfakesweb swap`: the engine on local files, with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from deepfakesweb import engine

__all__ = ["register"]

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}


def swap(
    source_image: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Photo of the new face")],
    target: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Video (or still) to change")],
    output: Annotated[Path, typer.Argument(dir_okay=False, help="Where to write the result")],
    multiple_faces: Annotated[bool, typer.Option("--multiple-faces", help="Swap every face")] = False,
    mouth_mask: Annotated[bool, typer.Option("--mouth-mask", help="Keep the target's own mouth")] = False,
) -> None:
    """Swap the face in SOURCE_IMAGE into TARGET; a still TARGET gives a still OUTPUT."""
    options = engine.SwapOptions(multiple_faces=multiple_faces, mouth_mask=mouth_mask)
    console = Console(stderr=True)
    try:
        if target.suffix.lower() in IMAGE_SUFFIXES:
            report = engine.swap_image(source_image, target, output, options)
        else:
            report = _swap_with_progress(source_image, target, output, options, console)
    except engine.EngineError as exc:
        console.print(f"[red]error ({exc.code}):[/red] {exc.message}")
        raise typer.Exit(1) from exc
    score = "n/a" if report.identity_score is None else f"{report.identity_score:.2f}"
    typer.echo(f"{report.frames} frames, {report.faces_swapped} faces swapped in {report.frames_swapped} frames, "
               f"{report.fps:.1f} fps, identity score {score} -> {output}")


def _swap_with_progress(source: Path, target: Path, output: Path, options: engine.SwapOptions,
                        console: Console) -> engine.SwapReport:
    columns = (TextColumn("swapping"), BarColumn(), MofNCompleteColumn(), TextColumn("frames"),
               TextColumn("{task.fields[fps]} fps"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("swap", total=None, fps="–")

        def on_progress(done: int, total: int) -> None:
            speed = progress.tasks[0].speed
            progress.update(task, completed=done, total=total, fps=f"{speed:.1f}" if speed else "–")

        return engine.swap_video(source, target, output, options, on_progress=on_progress)


def register(app: typer.Typer) -> None:
    app.command("swap")(swap)
