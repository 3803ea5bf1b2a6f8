"""The `deepfakesweb` command: one Typer app, one module per command group."""

from __future__ import annotations

import typer

__all__ = ["app", "main"]

app = typer.Typer(no_args_is_help=True, add_completion=False, help="deepfakesweb: face-swap video API")


def _register() -> None:
    from deepfakesweb.cli import admin
    from deepfakesweb.cli import swap as swap_command

    swap_command.register(app)
    admin.register(app)


def main() -> None:
    _register()
    app()
