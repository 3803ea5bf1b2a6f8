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
    if url.scheme == "s3":
        from deepfakesweb.storage.s3 import S3Storage

        return S3Storage.connect(url.netloc, url.path, settings.s3_endpoint_url, settings.s3_region,
                                 settings.s3_access_key_id, settings.s3_secret_access_key, settings.presign_ttl_s)
    raise ConfigError(f"unsupported DFW_STORAGE_URL scheme: {url.scheme!r}")
