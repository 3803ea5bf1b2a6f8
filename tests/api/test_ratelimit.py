from __future__ import annotations

import time

from tests.factories import Server, make_account


def test_the_101st_request_in_a_minute_is_429_and_another_key_is_unaffected(server: Server) -> None:
    first, second = make_account(server.runtime), make_account(server.runtime)
    client = server.client(first.key)
    for expected_remaining in range(99, -1, -1):
        response = client.get("/v1/videos/999999")  # errors count and carry the headers too
        assert response.status_code == 404
        assert response.headers["X-RateLimit-Remaining"] == str(expected_remaining)
    refused = client.get("/v1/credit-balance")
    assert (refused.status_code, refused.json()) == (429, {"data": None, "message": "Rate limit exceeded"})
    assert refused.headers["X-RateLimit-Limit"] == "100"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert int(refused.headers["X-RateLimit-Reset"]) - time.time() <= 61
    assert server.client(second.key).get("/v1/credit-balance").status_code == 200


def test_failed_authentication_is_limited_per_client_ip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import running_server

    with running_server(tmp_path / "data", unauth_rate_limit="5/minute") as limited:
        client = limited.client("dfw_wrong")
        statuses = [client.get("/v1/credit-balance").status_code for _ in range(6)]
        assert statuses == [401] * 5 + [429]
        assert limited.client(make_account(limited.runtime).key).get("/v1/credit-balance").status_code == 200
