from __future__ import annotations

import httpx

from deepfakesweb.credits import service as credits
from deepfakesweb.users import repository as users
from tests.factories import CLIP, FACE, NO_FACE, Server, stored_keys
from tests.web.factories import WebAccount, csrf, sign_up


def _grant(server: Server, web: WebAccount, amount: int, payment_id: str | None = None) -> None:
    with server.runtime.db.unit_of_work() as session:
        user_id = users.get_by_email(session, web.email).id  # type: ignore[union-attr]
        credits.grant(session, user_id, credits.Grant(amount, 700, "stripe", payment_id))


def _upload(web: WebAccount, image=FACE, **fields: str) -> httpx.Response:  # type: ignore[no-untyped-def]
    files = {"image": (image.name, image.read_bytes()), "video": (CLIP.name, CLIP.read_bytes())}
    return web.client.post("/videos/upload", files=files,
                           data={"csrf_token": csrf(web.client, "/videos"), **fields})


def test_every_form_refuses_a_missing_or_foreign_csrf_token(server: Server) -> None:
    web, other = sign_up(server), sign_up(server)
    web.create_key("victim")
    foreign = csrf(other.client, "/keys")  # valid for another browser, not this one
    posts = [("/keys", {"name": "x"}), ("/keys/1/revoke", {}), ("/videos/1/delete", {}),
             ("/credits/buy", {"pack": "100"}), ("/account/delete", {"password": "x"}), ("/logout", {})]
    for path, fields in posts:
        for token in ({}, {"csrf_token": foreign}):
            response = web.client.post(path, data={**fields, **token})
            assert response.status_code == 403 and "did not come from this site" in response.text, path
    upload = web.client.post("/videos/upload", files={"image": ("a.jpg", FACE.read_bytes())})
    assert upload.status_code == 403
    anonymous = httpx.Client(base_url=server.url)
    anonymous.get("/login")
    assert anonymous.post("/login", data={"email": web.email, "password": "x"}).status_code == 403
    assert anonymous.post("/signup", data={"email": "n@example.com", "password": "x" * 10,
                                           "terms": "on"}).status_code == 403
    assert "victim" in web.client.get("/keys").text and web.client.get("/account").status_code == 200


def test_the_form_upload_reads_the_checkboxes_and_charges_like_the_api(server: Server) -> None:
    web = sign_up(server)
    _grant(server, web, 3)
    response = _upload(web, mouth_mask="on")
    assert (response.status_code, response.headers["location"]) == (303, "/videos")
    key = web.create_key()
    (video,) = httpx.get(server.url + "/v1/videos", headers={"X-API-Key": key}).json()["data"]
    assert (video["mouth_mask"], video["multiple_faces"], video["status"]) == (True, False, "pending")
    assert httpx.get(server.url + "/v1/credit-balance", headers={"X-API-Key": key}).json()["data"]["credits"] == 2
    status = web.client.get("/videos/status", headers={"Accept": "application/json"}).json()["videos"]
    assert [(row["id"], row["status"]) for row in status] == [(video["id"], "pending")]
    assert f'id="video-{video["id"]}"' in status[0]["html"]


def test_a_refused_upload_explains_why_and_leaves_nothing_behind(server: Server) -> None:
    web = sign_up(server)
    before = set(stored_keys(server.runtime))
    broke = web.client.post("/videos/upload", headers={"Accept": "application/json"}, files={
        "image": (FACE.name, FACE.read_bytes()), "video": (CLIP.name, CLIP.read_bytes())},
        data={"csrf_token": csrf(web.client, "/videos")})
    assert broke.status_code == 402 and "Not enough credits" in broke.json()["message"]
    _grant(server, web, 1)
    faceless = _upload(web, image=NO_FACE)
    assert faceless.status_code == 422 and "no face found" in faceless.text
    assert set(stored_keys(server.runtime)) == before


def test_another_users_pages_show_nothing_of_the_first_users(server: Server) -> None:
    alice, bob = sign_up(server), sign_up(server)
    _grant(server, alice, 5, "cs_test_alice_secret")
    alice.create_key("alice-laptop")
    assert _upload(alice).status_code == 303
    alice_video = alice.client.get("/videos/status", headers={"Accept": "application/json"}).json()["videos"][0]
    alice_keys = alice.client.get("/keys").text
    prefix = alice_keys.split('data-key-prefix="')[1].split('"')[0]
    pages = {path: bob.client.get(path).text for path in ("/keys", "/videos", "/credits", "/account")}
    for path, page in pages.items():
        for secret in (alice.email, "alice-laptop", prefix, "cs_test_alice_secret", f"video-{alice_video['id']}"):
            assert secret not in page, (path, secret)
    assert bob.client.get("/videos/status", headers={"Accept": "application/json"}).json() == {"videos": []}
    key_id = alice_keys.split('action="/keys/')[1].split("/")[0]
    assert bob.post(f"/keys/{key_id}/revoke", "/keys").status_code == 303
    assert bob.post(f"/videos/{alice_video['id']}/delete", "/videos").status_code == 404
    assert "alice-laptop" in alice.client.get("/keys").text and "revoked" not in alice.client.get("/keys").text
    assert f"video-{alice_video['id']}" in alice.client.get("/videos").text
