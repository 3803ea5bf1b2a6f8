"""Signed, expiring links to a video's files: the API hands out only these, never storage URLs."""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from urllib.parse import urlencode

__all__ = ["LinkSigner", "FILE_KINDS"]

FILE_KINDS = ("input_image", "input_video", "output")


@dataclass(frozen=True)
class LinkSigner:
    secret: bytes
    public_url: str
    ttl_s: int

    def url(self, video_id: int, kind: str, now: float | None = None) -> str:
        expires = int((time.time() if now is None else now) + self.ttl_s)
        query = urlencode({"expires": expires, "signature": self._signature(video_id, kind, expires)})
        return f"{self.public_url.rstrip('/')}/v1/files/{video_id}/{kind}?{query}"

    def verify(self, video_id: int, kind: str, expires: int, signature: str) -> bool:
        expected = self._signature(video_id, kind, expires)
        valid = hmac.compare_digest(expected, signature)
        return valid and kind in FILE_KINDS and expires >= time.time()

    def _signature(self, video_id: int, kind: str, expires: int) -> str:
        message = f"{video_id}:{kind}:{expires}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()
