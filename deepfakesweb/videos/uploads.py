"""Streaming multipart parsing: limits enforced while bytes arrive, files spooled to a temp dir."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.multipart import MultipartParseError, MultipartParser, parse_options_header

from deepfakesweb.errors import PayloadTooLarge, UserInputError

__all__ = ["SpooledFile", "UploadForm", "parse_multipart"]

FILE_FIELDS = ("image", "video")
MAX_FIELD_BYTES = 1024


@dataclass
class SpooledFile:
    path: Path
    filename: str
    size: int = 0
    head: bytes = b""
    sha256: str = ""


@dataclass
class UploadForm:
    files: dict[str, SpooledFile] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)


class _PartSink:
    """Receives the parser's callbacks for one request; raises as soon as a limit is crossed."""

    def __init__(self, directory: Path, limits: dict[str, int]) -> None:
        self.directory, self.limits, self.form = directory, limits, UploadForm()
        self._header_field, self._header_value = b"", b""
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._file: SpooledFile | None = None
        self._handle: IO[bytes] | None = None
        self._hash = hashlib.sha256()
        self._text = bytearray()

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin, "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished, "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers, self._name, self._file, self._text = {}, "", None, bytearray()

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field, self._header_value = b"", b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if self._name in FILE_FIELDS:
            if self._name in self.form.files:
                raise UserInputError(f"field {self._name!r} given twice")
            filename = options.get(b"filename", b"").decode("utf-8", "replace")
            self._file = SpooledFile(path=self.directory / f"upload-{self._name}", filename=filename)
            self._handle = open(self._file.path, "wb")
            self._hash = hashlib.sha256()

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._file is None:
            if len(self._text) + len(chunk) > MAX_FIELD_BYTES:
                raise UserInputError(f"field {self._name!r} is too long")
            self._text += chunk
            return
        self._file.size += len(chunk)
        limit = self.limits[self._name]
        if self._file.size > limit:
            raise PayloadTooLarge(f"{self._name}, limit {_human_size(limit)}")
        if len(self._file.head) < 64:
            self._file.head = (self._file.head + chunk)[:64]
        self._hash.update(chunk)
        assert self._handle is not None
        self._handle.write(chunk)

    def _part_end(self) -> None:
        if self._file is not None and self._handle is not None:
            self._handle.close()
            self._handle = None
            self._file.sha256 = self._hash.hexdigest()
            self.form.files[self._name] = self._file
        elif self._name:
            self.form.fields[self._name] = self._text.decode("utf-8", "replace")

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


async def parse_multipart(
    content_type: str, body: AsyncIterator[bytes], directory: Path, limits: dict[str, int]
) -> UploadForm:
    media_type, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if media_type != b"multipart/form-data" or not boundary:
        raise UserInputError("expected a multipart/form-data body")
    sink = _PartSink(directory, limits)
    parser = MultipartParser(boundary, sink.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in body:
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        raise UserInputError(f"malformed multipart body ({exc})") from exc
    finally:
        sink.close()
    return sink.form


def _human_size(limit: int) -> str:
    megabytes = limit / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else f"{limit / 1024:g} KB"
