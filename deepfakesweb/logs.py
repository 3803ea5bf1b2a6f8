"""Logging: structured JSON lines (structlog) with request and job ids; no secrets ever reach them."""

from __future__ import annotations

import logging
import re
from typing import Any

import structlog

__all__ = ["RedactSecrets", "configure", "bind", "unbind"]

_SECRET = re.compile(r"(signature=)[0-9a-fA-F]+|(dfw_)[A-Za-z0-9_\-]{8,}")


def _redact(text: str) -> str:
    return _SECRET.sub(lambda m: (m.group(1) or m.group(2)) + "[redacted]", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(a) if isinstance(a, str) else a for a in record.args)
        record.msg = _redact(str(record.msg))
        return True


def _formatter(fmt: str) -> logging.Formatter:
    renderer: Any = structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer(
        colors=False)
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
        ],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info, renderer],
    )


def configure(fmt: str = "json") -> None:
    """Every stdlib logger (ours, uvicorn's, huey's) through one redacting, structured handler."""
    handler = logging.StreamHandler()
    handler.setFormatter(_formatter(fmt))
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "huey"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True


def bind(**values: Any) -> None:
    structlog.contextvars.bind_contextvars(**values)


def unbind(*names: str) -> None:
    structlog.contextvars.unbind_contextvars(*names)
