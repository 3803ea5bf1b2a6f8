from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from deepfakesweb.credits import service as credits
from deepfakesweb.credits.models import LedgerEntry
from deepfakesweb.users import repository as users
from tests.factories import Server, make_account, stored_keys, upload_files
from tests.web.factories import PASSWORD, log_in, sign_up


def _cli(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DFW_DATA_DIR": str(data_dir)}
    result = subprocess.run([sys.executable, "-m", "deepfakesweb", *args], env=env, input=stdin, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _video_with_purchase(server: Server, key: str, user_id: int) -> None:
    with server.runtime.db.unit_of_work() as session:
        credits.grant(session, user_id, credits.Grant(10, 700, "stripe", f"cs_test_{user_id}", "buyer@example.com"))
    response = httpx.post(server.url + "/v1/videos", headers={"X-API-Key": key}, timeout=60, **upload_files())
    assert response.status_code == 200, response.text


def _assert_deleted(server: Server, user_id: int, key: str, email: str) -> None:
    assert httpx.get(server.url + "/v1/credit-balance", headers={"X-API-Key": key}).status_code == 401
    assert stored_keys(server.runtime) == []  # this server held only this user's files
    with server.runtime.db.unit_of_work() as session:
        assert users.get_by_email(session, email) is None
        user = users.get(session, user_id)
        assert user is not None and user.deleted_at is not None and user.password_hash is None
        (purchase,) = credits.list_transactions(session, user_id)
        assert (purchase.amount, purchase.payment_id, purchase.billing_email) == (700, f"cs_test_{user_id}", None)
        assert session.query(LedgerEntry).filter_by(user_id=user_id).count() == 2  # purchase + video debit
    assert log_in(server, email).status_code == 401


def test_the_cli_sets_a_password_for_a_cli_created_user(server: Server) -> None:
    account = make_account(server.runtime)
    assert log_in(server, account.email).status_code == 401
    _cli(server.runtime.settings.data_dir, "users", "set-password", account.email, "--password-stdin",
         stdin=PASSWORD + "\n")
    assert log_in(server, account.email).status_code == 303


def test_users_delete_removes_files_and_anonymises_the_records(tmp_path: Path) -> None:
    from tests.factories import running_server

    with running_server(tmp_path / "data") as server:
        account = make_account(server.runtime, credits=0)
        _video_with_purchase(server, account.key, account.user_id)
        assert stored_keys(server.runtime)
        _cli(server.runtime.settings.data_dir, "users", "delete", account.email, "--yes")
        _assert_deleted(server, account.user_id, account.key, account.email)


def test_the_dashboard_deletes_an_account_after_the_password_is_confirmed(tmp_path: Path) -> None:
    from tests.factories import running_server

    with running_server(tmp_path / "data") as server:
        web = sign_up(server)
        key = web.create_key()
        with server.runtime.db.unit_of_work() as session:
            user_id = users.get_by_email(session, web.email).id  # type: ignore[union-attr]
        _video_with_purchase(server, key, user_id)
        refused = web.post("/account/delete", "/account", password="not my password")
        assert refused.status_code == 401 and stored_keys(server.runtime)
        deleted = web.post("/account/delete", "/account", password=PASSWORD)
        assert (deleted.status_code, deleted.headers["location"]) == (303, "/login?deleted=1")
        _assert_deleted(server, user_id, key, web.email)
