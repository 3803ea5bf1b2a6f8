from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from deepfakesweb.api.wire import format_time, null_string, parse_bool


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2025, 3, 30, 2, 5, 42, 702181, tzinfo=UTC), "2025-03-30T02:05:42.702181Z"),
        (datetime(2025, 3, 28, 3, 40, 54, 6410, tzinfo=UTC), "2025-03-28T03:40:54.00641Z"),
        (datetime(2025, 3, 28, 3, 40, 54, tzinfo=UTC), "2025-03-28T03:40:54Z"),
        (datetime(2025, 3, 28, 5, 40, 54, 500000, tzinfo=timezone(timedelta(hours=2))), "2025-03-28T03:40:54.5Z"),
    ],
)
def test_format_time_prints_go_rfc3339nano_in_utc(value: datetime, expected: str) -> None:
    assert format_time(value) == expected


@pytest.mark.parametrize("raw", ["1", "t", "T", "TRUE", "true", "True"])
def test_parse_bool_accepts_go_true_spellings(raw: str) -> None:
    assert parse_bool("x", raw) is True


@pytest.mark.parametrize("raw", ["0", "f", "F", "FALSE", "false", "False", "", None])
def test_parse_bool_accepts_go_false_spellings_and_absence(raw: str | None) -> None:
    assert parse_bool("x", raw) is False


@pytest.mark.parametrize("raw", ["yes", "on", "tRuE", "2", " true"])
def test_parse_bool_rejects_other_spellings(raw: str) -> None:
    with pytest.raises(ValueError, match="x must be a boolean"):
        parse_bool("x", raw)


def test_null_string_matches_go_sql_nullstring() -> None:
    assert null_string(None) == {"String": "", "Valid": False}
    assert null_string("") == {"String": "", "Valid": True}
    assert null_string("cs_1") == {"String": "cs_1", "Valid": True}
