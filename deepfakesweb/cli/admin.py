"""Operator commands: serve, worker, db, users, keys, credits. All work with the server stopped."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from deepfakesweb.config import ConfigError, Settings
from deepfakesweb.errors import ServiceError
from deepfakesweb.logs import configure as configure_logging
from deepfakesweb.runtime import Runtime, build_runtime

__all__ = ["register"]

T = TypeVar("T")
err = Console(stderr=True)
db_app = typer.Typer(help="Database migrations", no_args_is_help=True)
users_app = typer.Typer(help="Manage users", no_args_is_help=True)
keys_app = typer.Typer(help="Manage API keys", no_args_is_help=True)
credits_app = typer.Typer(help="Grant and adjust credits", no_args_is_help=True)


def _runtime(**overrides: object) -> Runtime:
    try:
        runtime = build_runtime(Settings(**overrides))  # type: ignore[arg-type]
        runtime.migrate()
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    return runtime


@contextmanager
def _admin_session() -> Iterator[Session]:
    runtime = _runtime()
    try:
        with runtime.db.unit_of_work(writes=True) as session:
            yield session
    except ServiceError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from exc
    finally:
        runtime.close()


def _in_session(action: Callable[[Session], T]) -> T:
    with _admin_session() as session:
        return action(session)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""
    _runtime().close()
    typer.echo("database is up to date")


from deepfakesweb.cli import admin_commands  # noqa: E402  (command bodies, kept apart for size)


def register(app: typer.Typer) -> None:
    admin_commands.attach(users_app, keys_app, credits_app, _in_session)
    app.command("serve")(serve)
    app.command("worker")(worker)
    app.add_typer(db_app, name="db")
    app.add_typer(users_app, name="users")
    app.add_typer(keys_app, name="keys")
    app.add_typer(credits_app, name="credits")


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    worker: Annotated[bool, typer.Option("--worker/--no-worker", help="Run the job worker in-process")] = True,
) -> None:
    """Start the API (and, by default, the embedded worker)."""
    import uvicorn

    from deepfakesweb.api.app import create_app
    from deepfakesweb.bootstrap import DEMO_EMAIL, create_demo_user

    configure_logging(Settings().log_format)
    overrides = {} if "DFW_PUBLIC_URL" in os.environ else {"public_url": f"http://{host}:{port}"}
    runtime = _runtime(**overrides)
    demo_key = create_demo_user(runtime)
    if demo_key:
        typer.echo(f"Created demo user {DEMO_EMAIL} with {runtime.settings.demo_credits} credits. API key "
                   f"(shown once):\n{demo_key}")
    else:
        typer.echo("Make another API key with: deepfakesweb keys create EMAIL")
    uvicorn.run(create_app(runtime, run_worker=worker), host=host, port=port, log_level="info",
                log_config=None, timeout_graceful_shutdown=30)


def worker(
    concurrency: Annotated[int, typer.Option(help="Jobs processed at once")] = 1,
    health_port: Annotated[int | None, typer.Option(help="Serve /healthz, /readyz and /metrics here")] = None,
) -> None:
    """Run a standalone job worker; SIGTERM/SIGINT hand the running job back and exit."""
    from deepfakesweb.worker import run_worker

    configure_logging(Settings().log_format)
    runtime = _runtime()
    run_worker(runtime, concurrency, health_port)
    runtime.close()
