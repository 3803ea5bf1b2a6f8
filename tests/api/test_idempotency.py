from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.factories import OTHER_FACE, Server, balance_of, make_account, stored_keys, upload_files


def test_a_retry_with_the_same_key_returns_the_first_response_and_charges_once(server: Server) -> None:
    account = make_account(server.runtime, credits=5)
    client = server.client(account.key)
    headers = {"Idempotency-Key": "order-42"}
    first = client.post("/v1/videos", headers=headers, **upload_files())
    keys_after_first = stored_keys(server.runtime)
    again = client.post("/v1/videos", headers=headers, **upload_files())
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert balance_of(server.runtime, account.user_id) == 4
    assert len(client.get("/v1/videos").json()["data"]) == 1
    assert stored_keys(server.runtime) == keys_after_first


def test_the_same_key_with_different_content_is_422(server: Server) -> None:
    account = make_account(server.runtime, credits=5)
    client = server.client(account.key)
    client.post("/v1/videos", headers={"Idempotency-Key": "k"}, **upload_files())
    response = client.post("/v1/videos", headers={"Idempotency-Key": "k"}, **upload_files(image=OTHER_FACE))
    assert response.status_code == 422
    assert response.json()["message"] == (
        "Unprocessable request: Idempotency-Key was already used with different content"
    )
    assert balance_of(server.runtime, account.user_id) == 4


def test_keys_are_per_user(server: Server) -> None:
    alice, bob = make_account(server.runtime), make_account(server.runtime)
    a = server.client(alice.key).post("/v1/videos", headers={"Idempotency-Key": "same"}, **upload_files())
    b = server.client(bob.key).post("/v1/videos", headers={"Idempotency-Key": "same"}, **upload_files())
    assert a.json()["data"]["id"] != b.json()["data"]["id"]


def test_concurrent_submissions_never_overdraw(server: Server) -> None:
    account = make_account(server.runtime, credits=2)

    def submit(_: int) -> int:
        return server.client(account.key).post("/v1/videos", **upload_files()).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(submit, range(6)))
    assert statuses == [200, 200, 402, 402, 402, 402]
    assert balance_of(server.runtime, account.user_id) == 0
