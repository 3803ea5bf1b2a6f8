from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import text

from tests.factories import make_account, running_server


def test_an_internal_failure_is_a_500_envelope_without_details(tmp_path: Path) -> None:
    with running_server(tmp_path / "data") as server:
        account = make_account(server.runtime)
        with server.runtime.db.engine.begin() as connection:
            connection.execute(text("DROP TABLE ledger_entries"))
        response = server.client(account.key).get("/v1/credit-balance")
        assert (response.status_code, response.json()) == (500, {"data": None, "message": "Internal server error"})


def test_metrics_need_the_bearer_token_when_one_is_set(tmp_path: Path) -> None:
    with running_server(tmp_path / "data", metrics_token="s3cret") as server:
        assert httpx.get(server.url + "/metrics").status_code == 401
        response = httpx.get(server.url + "/metrics", headers={"Authorization": "Bearer s3cret"})
        assert response.status_code == 200
        assert 'dfw_jobs{status="pending"}' in response.text and "dfw_queue_depth" in response.text
