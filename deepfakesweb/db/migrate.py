"""Apply Alembic migrations under a lock so several processes may start at once."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text

from deepfakesweb.db.session import Database

__all__ = ["upgrade", "alembic_config"]

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
ADVISORY_LOCK_ID = 0x64667700  # "dfw\0"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(database: Database, lock_dir: Path) -> None:
    with _migration_lock(database, lock_dir), database.engine.connect() as connection:
        command.upgrade(alembic_config(connection), "head")
        connection.commit()


@contextmanager
def _migration_lock(database: Database, lock_dir: Path) -> Iterator[None]:
    if database.is_sqlite:
        lock_dir.mkdir(parents=True, exist_ok=True)
        with open(lock_dir / "migrate.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        return
    with database.engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": ADVISORY_LOCK_ID})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": ADVISORY_LOCK_ID})
