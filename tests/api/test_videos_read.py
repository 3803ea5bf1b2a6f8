from __future__ import annotations

from tests.factories import Server, make_account, upload_files


def _create(server: Server, key: str, count: int) -> list[int]:
    client = server.client(key)
    return [client.post("/v1/videos", **upload_files()).json()["data"]["id"] for _ in range(count)]


def test_get_returns_the_video_with_the_seed_message(server: Server) -> None:
    account = make_account(server.runtime)
    (video_id,) = _create(server, account.key, 1)
    body = server.client(account.key).get(f"/v1/videos/{video_id}").json()
    assert body["message"] == "Video retrieved successfully"
    assert body["data"]["id"] == video_id and body["data"]["status"] == "pending"
    assert "output_video_url" not in body["data"] and "ec2_instance_id" not in body["data"]


def test_list_is_newest_first_and_pages_with_limit_and_before_id(server: Server) -> None:
    account = make_account(server.runtime)
    ids = _create(server, account.key, 3)
    client = server.client(account.key)
    body = client.get("/v1/videos").json()
    assert body["message"] == "Videos retrieved successfully"
    assert [v["id"] for v in body["data"]] == ids[::-1]
    first = client.get("/v1/videos", params={"limit": 2}).json()["data"]
    rest = client.get("/v1/videos", params={"limit": 2, "before_id": first[-1]["id"]}).json()["data"]
    assert [v["id"] for v in first + rest] == ids[::-1]


def test_bad_query_parameters_are_400(server: Server) -> None:
    client = server.client(make_account(server.runtime).key)
    for params in ({"limit": "x"}, {"limit": 0}, {"before_id": "-1"}):
        response = client.get("/v1/videos", params=params)
        assert response.status_code == 400
        assert response.json()["data"] is None and response.json()["message"].startswith("Invalid request: ")


def test_unknown_and_malformed_ids_are_404(server: Server) -> None:
    client = server.client(make_account(server.runtime).key)
    for video_id in ("999999", "abc", "-1"):
        response = client.get(f"/v1/videos/{video_id}")
        assert (response.status_code, response.json()) == (404, {"data": None, "message": "Video not found"})


def test_another_users_video_cannot_be_seen_listed_or_deleted(server: Server) -> None:
    alice, bob = make_account(server.runtime), make_account(server.runtime)
    (video_id,) = _create(server, alice.key, 1)
    intruder = server.client(bob.key)
    assert intruder.get(f"/v1/videos/{video_id}").status_code == 404
    assert intruder.get("/v1/videos").json()["data"] == []
    assert intruder.delete(f"/v1/videos/{video_id}").json() == {"data": None, "message": "Video not found"}
    assert server.client(alice.key).get(f"/v1/videos/{video_id}").status_code == 200
