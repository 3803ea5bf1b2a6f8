from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

__all__ = ["Storage", "StorageError"]


class StorageError(Exception):
    pass


class Storage(Protocol):
    """Keys are relative paths such as `videos/<uuid>/input.mp4`."""

    def put_file(self, key: str, source: Path) -> None:
        """Store `source` under `key`, consuming the local file (moved, or uploaded then deleted)."""

    def local_copy(self, key: str) -> AbstractContextManager[Path]:
        """A readable local path for the object while the context is open."""

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """Remove the object; a missing object is not an error."""

    def delete_prefix(self, prefix: str) -> None: ...

    def iter_keys(self, prefix: str = "") -> Iterator[str]: ...

    def download_target(self, key: str, filename: str) -> Path | str:
        """A local Path to stream, or a short-lived URL to redirect to."""

    def ping(self) -> None: ...
