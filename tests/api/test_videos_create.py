from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import (
    CLIP,
    FACE,
    NO_FACE,
    SMALL_FACE,
    Server,
    balance_of,
    make_account,
    running_server,
    stored_keys,
    upload_files,
)

SEED_KEYS = [
    "id",
    "user_id",
    "input_image_url",
    "input_video_url",
    "multiple_faces",
    "mouth_mask",
    "status",
    "credits_used",
    "created_at",
    "updated_at",
]


def test_create_returns_pending_video_in_seed_order_and_charges(server: Server) -> None:
    account = make_account(server.runtime, credits=5)
    response = server.client(account.key).post("/v1/videos", **upload_files(multiple_faces="true", mouth_mask="1"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["data", "message"] and body["message"] == "Video processing started"
    video = body["data"]
    assert list(video) == [*SEED_KEYS, "progress", "identity_score", "error"]
    assert video["status"] == "pending" and video["user_id"] == account.user_id
    assert video["multiple_faces"] is True and video["mouth_mask"] is True
    assert video["credits_used"] == 1 and video["created_at"] == video["updated_at"]
    assert video["input_image_url"].startswith(server.url + "/v1/files/")
    assert balance_of(server.runtime, account.user_id) == 4


def test_options_default_to_false_when_absent_or_empty(server: Server) -> None:
    account = make_account(server.runtime)
    video = server.client(account.key).post("/v1/videos", **upload_files(mouth_mask="")).json()["data"]
    assert video["multiple_faces"] is False and video["mouth_mask"] is False


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"files": {"video": ("v.mp4", CLIP.read_bytes())}}, "Invalid request: missing file field 'image'"),
        ({"files": {"image": ("f.jpg", FACE.read_bytes())}}, "Invalid request: missing file field 'video'"),
        (upload_files(multiple_faces="yes"), "Invalid request: multiple_faces must be a boolean, got 'yes'"),
        ({"data": {"image": "x"}}, "Invalid request: expected a multipart/form-data body"),
    ],
)
def test_malformed_requests_are_400_and_charge_nothing(server: Server, kwargs: dict, message: str) -> None:
    account = make_account(server.runtime, credits=3)
    before = stored_keys(server.runtime)
    response = server.client(account.key).post("/v1/videos", **kwargs)
    assert (response.status_code, response.json()) == (400, {"data": None, "message": message})
    assert balance_of(server.runtime, account.user_id) == 3
    assert stored_keys(server.runtime) == before


def test_truncated_multipart_body_is_400(server: Server) -> None:
    account = make_account(server.runtime)
    body = b'--b\r\nContent-Disposition: form-data; name="image"; filename="f.jpg"\r\n\r\n' + FACE.read_bytes()[:500]
    response = server.client(account.key).post(
        "/v1/videos", content=body, headers={"Content-Type": "multipart/form-data; boundary=b"}
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("Invalid request: ")


def _unprocessable_cases(tmp: Path) -> list[tuple[dict, str]]:
    text_file = tmp / "notes.txt"
    text_file.write_text("hello " * 100)
    truncated = tmp / "truncated.mp4"
    truncated.write_bytes(CLIP.read_bytes()[:4000])
    return [
        (upload_files(image=NO_FACE), "Unprocessable image: no face found in the image"),
        (upload_files(image=text_file), "Unprocessable image: not a JPEG, PNG or WebP file"),
        (upload_files(video=text_file), "Unprocessable video: not an MP4, MOV, WebM, MKV or AVI file"),
        (upload_files(video=truncated), "Unprocessable video: not decodable"),
        (upload_files(video=FACE), "Unprocessable video: not an MP4, MOV, WebM, MKV or AVI file"),
    ]


def test_unprocessable_content_is_422_and_leaves_nothing(server: Server, tmp_path: Path) -> None:
    account = make_account(server.runtime, credits=3)
    client = server.client(account.key)
    before = stored_keys(server.runtime)
    for kwargs, message in _unprocessable_cases(tmp_path):
        response = client.post("/v1/videos", **kwargs)
        assert (response.status_code, response.json()) == (422, {"data": None, "message": message})
    assert balance_of(server.runtime, account.user_id) == 3
    assert stored_keys(server.runtime) == before
    assert client.get("/v1/videos").json()["data"] == []


def test_insufficient_credits_is_402_and_charges_nothing(server: Server) -> None:
    account = make_account(server.runtime, credits=0)
    response = server.client(account.key).post("/v1/videos", **upload_files())
    assert (response.status_code, response.json()) == (402, {"data": None, "message": "Insufficient credits"})
    assert server.client(account.key).get("/v1/videos").json()["data"] == []


def test_the_eleventh_active_video_is_429_and_charges_nothing(server: Server) -> None:
    account = make_account(server.runtime, credits=20)
    client = server.client(account.key)
    for _ in range(10):
        assert client.post("/v1/videos", **upload_files()).status_code == 200
    response = client.post("/v1/videos", **upload_files())
    assert response.status_code == 429
    assert response.json() == {"data": None, "message": "Too many videos in progress"}
    assert int(response.headers["Retry-After"]) > 0
    assert balance_of(server.runtime, account.user_id) == 10


def test_uploads_over_the_size_limit_are_413_while_streaming(tmp_path: Path) -> None:
    with running_server(tmp_path / "data", max_image_bytes=200 * 1024, max_video_bytes=150 * 1024) as small:
        client = small.client(make_account(small.runtime).key)
        response = client.post("/v1/videos", **upload_files())  # the face is 273 KB
        assert (response.status_code, response.json()) == (
            413,
            {"data": None, "message": "File too large: image, limit 200 KB"},
        )
        response = client.post("/v1/videos", **upload_files(image=SMALL_FACE))  # the clip is 173 KB
        assert (response.status_code, response.json()) == (
            413,
            {"data": None, "message": "File too large: video, limit 150 KB"},
        )
        assert stored_keys(small.runtime) == []
        assert list((tmp_path / "data" / "tmp").iterdir()) == []


def test_videos_over_the_duration_limit_are_422(tmp_path: Path) -> None:
    with running_server(tmp_path / "data", max_video_seconds=2) as short:
        account = make_account(short.runtime)
        response = short.client(account.key).post("/v1/videos", **upload_files())
        assert response.status_code == 422
        assert response.json()["message"].startswith("Unprocessable video: 5.")
        assert response.json()["message"].endswith("s long, limit 2 s")


def test_price_is_one_credit_per_started_minute(tmp_path: Path) -> None:
    with running_server(tmp_path / "data", credits_per_minute=3, min_credits=1) as priced:
        account = make_account(priced.runtime, credits=10)
        video = priced.client(account.key).post("/v1/videos", **upload_files()).json()["data"]
        assert video["credits_used"] == 3
        assert balance_of(priced.runtime, account.user_id) == 7
