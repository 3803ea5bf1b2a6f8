"""Object storage behind one small interface; `file://` here, `s3://` at scale."""

from deepfakesweb.storage.base import Storage, StorageError
from deepfakesweb.storage.factory import create_storage
from deepfakesweb.storage.local import LocalStorage

__all__ = ["Storage", "StorageError", "LocalStorage", "create_storage"]
