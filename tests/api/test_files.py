from __future__ import annotations

import time

import httpx

from tests.factories import FACE, Server, make_account, upload_files


def _video(server: Server) -> dict:
    account = make_account(server.runtime)
    return server.client(account.key).post("/v1/videos", **upload_files()).json()["data"]  # type: ignore[no-any-return]


def test_signed_link_streams_the_file_without_an_api_key(server: Server) -> None:
    response = httpx.get(_video(server)["input_image_url"], follow_redirects=True)
    assert response.status_code == 200
    assert response.content == FACE.read_bytes()
    assert response.headers["content-type"] == "image/jpeg"


def test_tampered_links_are_403(server: Server) -> None:
    url = _video(server)["input_video_url"]
    tampered = [
        url[:-1] + ("0" if url[-1] != "0" else "1"),
        url.replace("input_video", "input_image"),
        url.replace("expires=", "expires=9"),
        url.split("?")[0],
    ]
    for link in tampered:
        response = httpx.get(link, follow_redirects=True)
        assert (response.status_code, response.json()) == (403, {"data": None, "message": "Link expired or invalid"})


def test_expired_links_are_403(server: Server) -> None:
    video = _video(server)
    expired = server.runtime.signer.url(video["id"], "input_image", now=time.time() - 25 * 3600)
    assert httpx.get(expired, follow_redirects=True).status_code == 403
    fresh = server.runtime.signer.url(video["id"], "input_image")
    assert httpx.get(fresh, follow_redirects=True).status_code == 200


def test_output_link_of_an_unfinished_video_is_404(server: Server) -> None:
    video = _video(server)
    response = httpx.get(server.runtime.signer.url(video["id"], "output"), follow_redirects=True)
    assert (response.status_code, response.json()) == (404, {"data": None, "message": "Not found"})
