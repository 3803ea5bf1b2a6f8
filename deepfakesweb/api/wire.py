"""The seed API's wire formats: Go's RFC3339Nano timestamps, strconv.ParseBool, sql.NullString."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

__all__ = ["format_time", "parse_bool", "null_string"]

_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def format_time(value: datetime) -> str:
    """`2025-03-28T03:40:54.00641Z`: UTC, fraction trimmed of trailing zeros, none on a whole second."""
    value = value.astimezone(UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    fraction = f"{value.microsecond:06d}".rstrip("0")
    return f"{text}.{fraction}Z" if fraction else f"{text}Z"


def parse_bool(name: str, raw: str | None) -> bool:
    """Absent or empty is false; otherwise exactly Go's accepted spellings."""
    if raw is None or raw == "":
        return False
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueError(f"{name} must be a boolean, got {raw[:40]!r}")


def null_string(value: str | None) -> dict[str, Any]:
    return {"String": value or "", "Valid": value is not None}
