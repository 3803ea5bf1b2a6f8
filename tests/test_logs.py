from __future__ import annotations

import json
import logging

import pytest

from deepfakesweb.logs import RedactSecrets, bind, configure, unbind


def test_signatures_and_api_keys_are_redacted_from_log_records() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s"', (
        "127.0.0.1", "GET", "/v1/files/1/output?expires=1&signature=abcdef0123"), None)
    record.msg = "key dfw_AbCdEfGhIjKlMnOp used"
    RedactSecrets().filter(record)
    assert "abcdef0123" not in str(record.args) and "signature=[redacted]" in str(record.args)
    assert "AbCdEfGh" not in str(record.msg) and "dfw_[redacted]" in str(record.msg)


def test_logs_are_json_lines_with_the_bound_ids(capsys: pytest.CaptureFixture[str]) -> None:
    configure("json")
    bind(request_id="r-1", job_id=7)
    try:
        logging.getLogger("deepfakesweb.test").info("video %s done with key %s", 7, "dfw_SECRETSECRET")
    finally:
        unbind("request_id", "job_id")
        logging.getLogger().handlers.clear()
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["event"] == "video 7 done with key dfw_[redacted]"
    assert (line["request_id"], line["job_id"], line["level"]) == ("r-1", 7, "info")
