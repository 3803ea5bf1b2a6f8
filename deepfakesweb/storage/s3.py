"""S3-compatible storage: multipart uploads for big files, presigned GETs behind our own signed links."""

from __future__ import annotations

import mimetypes
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from deepfakesweb.storage.base import StorageError

__all__ = ["S3Storage"]

# Files above 16 MB go up as parallel 16 MB parts.
TRANSFER = TransferConfig(multipart_threshold=16 * 1024 * 1024, multipart_chunksize=16 * 1024 * 1024)


class S3Storage:
    def __init__(self, bucket: str, prefix: str, client: Any, presign_ttl_s: int = 300) -> None:
        self.bucket, self.prefix, self.client, self.presign_ttl_s = bucket, prefix.strip("/"), client, presign_ttl_s

    @classmethod
    def connect(cls, bucket: str, prefix: str, endpoint_url: str | None, region: str, access_key_id: str | None,
                secret_access_key: str | None, presign_ttl_s: int) -> S3Storage:
        client = boto3.client(
            "s3", endpoint_url=endpoint_url, region_name=region, aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=Config(retries={"max_attempts": 5, "mode": "standard"}, signature_version="s3v4"),
        )
        return cls(bucket, prefix, client, presign_ttl_s)

    def _key(self, key: str) -> str:
        if key.startswith("/") or ".." in key.split("/"):
            raise StorageError(f"invalid key: {key!r}")
        return f"{self.prefix}/{key}" if self.prefix else key

    def put_file(self, key: str, source: Path) -> None:
        try:
            content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
            self.client.upload_file(str(source), self.bucket, self._key(key), Config=TRANSFER,
                                    ExtraArgs={"ContentType": content_type})
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"upload of {key} failed: {exc}") from exc
        source.unlink(missing_ok=True)

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix="dfw-s3-") as directory:
            path = Path(directory) / key.rsplit("/", 1)[-1]
            try:
                self.client.download_file(self.bucket, self._key(key), str(path), Config=TRANSFER)
            except (BotoCoreError, ClientError) as exc:
                raise StorageError(f"download of {key} failed: {exc}") from exc
            yield path

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError:
            return False
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def delete_prefix(self, prefix: str) -> None:
        keys = [{"Key": self._key(key)} for key in self.iter_keys(prefix.rstrip("/") + "/")]
        for start in range(0, len(keys), 1000):
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys[start:start + 1000]})

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        root = f"{self.prefix}/" if self.prefix else ""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=root + prefix)
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"][len(root):]

    def download_target(self, key: str, filename: str) -> Path | str:
        if not self.exists(key):
            raise StorageError(f"no such object: {key}")
        params = {"Bucket": self.bucket, "Key": self._key(key),
                  "ResponseContentDisposition": f'attachment; filename="{filename}"'}
        return str(self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=self.presign_ttl_s))

    def ping(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"bucket {self.bucket} unreachable: {exc}") from exc
