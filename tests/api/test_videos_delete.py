from __future__ import annotations

import httpx

from deepfakesweb.credits.service import balance
from tests.factories import Server, make_account, stored_keys, upload_files


def test_delete_tombstones_refunds_and_removes_files(server: Server) -> None:
    account = make_account(server.runtime, credits=2)
    client = server.client(account.key)
    video = client.post("/v1/videos", **upload_files()).json()["data"]
    keys_before = set(stored_keys(server.runtime))
    response = client.delete(f"/v1/videos/{video['id']}")
    assert (response.status_code, response.json()) == (200, {"data": None, "message": "Video deleted successfully"})
    assert client.get(f"/v1/videos/{video['id']}").status_code == 404
    assert client.delete(f"/v1/videos/{video['id']}").status_code == 404
    assert client.get("/v1/videos").json()["data"] == []
    assert httpx.get(video["input_image_url"], follow_redirects=True).json() == {"data": None, "message": "Not found"}
    assert len(keys_before - set(stored_keys(server.runtime))) == 2
    with server.runtime.db.unit_of_work() as session:
        assert balance(session, account.user_id) == 2


def test_deleted_videos_do_not_count_towards_the_concurrency_limit(server: Server) -> None:
    account = make_account(server.runtime, credits=30)
    client = server.client(account.key)
    ids = [client.post("/v1/videos", **upload_files()).json()["data"]["id"] for _ in range(10)]
    assert client.post("/v1/videos", **upload_files()).status_code == 429
    client.delete(f"/v1/videos/{ids[0]}")
    assert client.post("/v1/videos", **upload_files()).status_code == 200
