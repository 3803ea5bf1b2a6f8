from __future__ import annotations

import httpx

from deepfakesweb.apikeys.models import ApiKey
from deepfakesweb.apikeys.service import create_key, revoke_key
from deepfakesweb.users.service import disable_user
from tests.factories import Server, make_account

PROTECTED = [
    ("GET", "/v1/credit-balance"),
    ("GET", "/v1/videos"),
    ("GET", "/v1/videos/1"),
    ("POST", "/v1/videos"),
    ("DELETE", "/v1/videos/1"),
    ("GET", "/v1/transactions"),
]


def test_every_endpoint_requires_a_key(server: Server) -> None:
    client = server.client()
    for method, path in PROTECTED:
        response = client.request(method, path)
        assert (response.status_code, response.json()) == (401, {"data": None, "message": "API key required"})


def test_an_unknown_key_is_invalid(server: Server) -> None:
    for key in ("dfw_" + "x" * 43, "nonsense", "dfw_"):
        response = server.client(key).get("/v1/credit-balance")
        assert (response.status_code, response.json()) == (401, {"data": None, "message": "Invalid API key"})


def test_a_revoked_key_is_refused_at_once_and_another_key_still_works(server: Server) -> None:
    account = make_account(server.runtime)
    with server.runtime.db.unit_of_work() as session:
        _, second = create_key(session, account.user_id, "second")
    assert server.client(account.key).get("/v1/credit-balance").status_code == 200
    with server.runtime.db.unit_of_work() as session:
        revoke_key(session, account.key[:12])
    assert server.client(account.key).get("/v1/credit-balance").status_code == 401
    assert server.client(second).get("/v1/credit-balance").status_code == 200


def test_a_disabled_users_keys_are_refused(server: Server) -> None:
    account = make_account(server.runtime)
    with server.runtime.db.unit_of_work() as session:
        disable_user(session, account.email)
    assert server.client(account.key).get("/v1/credit-balance").json()["message"] == "Invalid API key"


def test_keys_are_stored_hashed_and_last_use_is_tracked(server: Server) -> None:
    account = make_account(server.runtime)
    server.client(account.key).get("/v1/credit-balance")
    with server.runtime.db.unit_of_work() as session:
        row = session.query(ApiKey).filter_by(user_id=account.user_id).one()
        assert account.key not in (row.key_hash, row.prefix) and len(row.key_hash) == 64
        assert account.key.startswith(row.prefix) and row.last_used_at is not None


def test_public_routes_need_no_key(server: Server) -> None:
    assert httpx.get(server.url + "/healthz").json() == {"data": {"status": "ok"}, "message": "OK"}
    ready = httpx.get(server.url + "/readyz").json()
    assert ready["message"] == "Ready" and set(ready["data"].values()) == {"ok"}
    spec = httpx.get(server.url + "/v1/openapi.json").json()
    assert {"/v1/videos", "/v1/videos/{video_id}", "/v1/credit-balance", "/v1/transactions"} <= set(spec["paths"])
    assert "multipart/form-data" in spec["paths"]["/v1/videos"]["post"]["requestBody"]["content"]
    assert "swagger" in httpx.get(server.url + "/docs").text.lower()


def test_unknown_routes_and_methods_use_the_envelope(server: Server) -> None:
    assert httpx.get(server.url + "/v1/nope").json() == {"data": None, "message": "Not found"}
    response = httpx.put(server.url + "/v1/videos")
    assert (response.status_code, response.json()) == (405, {"data": None, "message": "Method not allowed"})
