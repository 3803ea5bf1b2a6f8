from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _cli(data_dir: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DFW_DATA_DIR": str(data_dir)}
    result = subprocess.run(
        [sys.executable, "-m", "deepfakesweb", *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert (result.returncode == 0) == ok, result.stdout + result.stderr
    return result


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_users_keys_and_credits_round_trip_with_the_server_stopped(data_dir: Path) -> None:
    from deepfakesweb.apikeys.service import authenticate
    from deepfakesweb.config import Settings
    from deepfakesweb.credits.service import balance, list_transactions
    from deepfakesweb.runtime import build_runtime

    _cli(data_dir, "db", "upgrade")
    _cli(data_dir, "users", "create", "Ann@Example.com")
    key = _cli(data_dir, "keys", "create", "ann@example.com", "--name", "ci").stdout.strip().splitlines()[-1]
    _cli(
        data_dir,
        "credits",
        "grant",
        "ann@example.com",
        "100",
        "--amount-cents",
        "700",
        "--method",
        "stripe",
        "--payment-id",
        "cs_test_1",
        "--billing-email",
        "b@example.com",
    )
    _cli(data_dir, "credits", "adjust", "ann@example.com", "-30", "--reason", "goodwill reversal")
    _cli(data_dir, "credits", "adjust", "ann@example.com", "-500", "--reason", "too much", ok=False)
    assert "ann@example.com" in _cli(data_dir, "users", "list").stdout
    runtime = build_runtime(Settings(data_dir=data_dir))
    with runtime.db.unit_of_work() as session:
        principal = authenticate(session, key)
        assert principal is not None
        assert balance(session, principal.user_id) == 70
        (purchase,) = list_transactions(session, principal.user_id)
        assert (purchase.amount, purchase.payment_id, purchase.billing_email) == (700, "cs_test_1", "b@example.com")
    _cli(data_dir, "keys", "revoke", key[:12])
    with runtime.db.unit_of_work() as session:
        assert authenticate(session, key) is None


def test_admin_errors_are_clear_and_non_zero(data_dir: Path) -> None:
    assert "no such user" in _cli(data_dir, "keys", "create", "nobody@example.com", ok=False).stderr
    _cli(data_dir, "users", "create", "x@example.com")
    assert "already exists" in _cli(data_dir, "users", "create", "x@example.com", ok=False).stderr
    assert "no such key" in _cli(data_dir, "keys", "revoke", "dfw_nothere", ok=False).stderr


def test_disabling_a_user_locks_out_their_keys(data_dir: Path) -> None:
    from deepfakesweb.apikeys.service import authenticate
    from deepfakesweb.config import Settings
    from deepfakesweb.runtime import build_runtime

    _cli(data_dir, "users", "create", "d@example.com")
    key = _cli(data_dir, "keys", "create", "d@example.com").stdout.strip().splitlines()[-1]
    _cli(data_dir, "users", "disable", "d@example.com")
    with build_runtime(Settings(data_dir=data_dir)).db.unit_of_work() as session:
        assert authenticate(session, key) is None
