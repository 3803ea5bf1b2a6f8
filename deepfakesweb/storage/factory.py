from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from deepfakesweb.config import ConfigError, Settings
from deepfakesweb.storage.base import Storage
from deepfakesweb.storage.local import LocalStorage

__all__ = ["create_storage"]


def create_storage(settings: Settings) -> Storage:
    url = urlparse(settings.resolved_storage_url)
    if url.scheme == "file":
        return LocalStorage(Path(url.path))
    raise ConfigError(f"unsupported DFW_STORAGE_URL scheme: {url.scheme!r}")
