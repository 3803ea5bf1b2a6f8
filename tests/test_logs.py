from __future__ import annotations

import logging

from deepfakesweb.logs import RedactSecrets


def test_signatures_and_api_keys_are_redacted_from_log_records() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s"', (
        "127.0.0.1", "GET", "/v1/files/1/output?expires=1&signature=abcdef0123"), None)
    record.msg = "key dfw_AbCdEfGhIjKlMnOp used"
    RedactSecrets().filter(record)
    text = str(record.msg)
    assert "abcdef0123" not in str(record.args) and "signature=[redacted]" in str(record.args)
    assert "AbCdEfGh" not in text and "dfw_[redacted]" in text
