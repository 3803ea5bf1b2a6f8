from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx

from deepfakesweb.db import utcnow
from deepfakesweb.videos import tasks
from deepfakesweb.videos.models import Video, VideoStatus
from tests.factories import (
    Server,
    balance_of,
    make_account,
    make_backend,
    make_faceless_clip,
    make_long_clip,
    running_server,
    stored_keys,
    upload_files,
    wait_for_status,
)


def _set(server: Server, video_id: int, **values: object) -> None:
    with server.runtime.db.unit_of_work() as session:
        video = session.get(Video, video_id)
        assert video is not None
        for name, value in values.items():
            setattr(video, name, value)


def test_a_job_that_fails_is_refunded_with_its_error(server: Server, tmp_path: Path) -> None:
    account = make_account(server.runtime, credits=1)
    clip = make_faceless_clip(tmp_path / "empty.mp4")
    client = server.client(account.key)
    video_id = client.post("/v1/videos", **upload_files(video=clip)).json()["data"]["id"]
    tasks.process_video(server.runtime, video_id)
    video = client.get(f"/v1/videos/{video_id}").json()["data"]
    assert video["status"] == "failed" and "output_video_url" not in video
    assert video["error"]["code"] == "no_face_in_video" and video["error"]["message"]
    assert balance_of(server.runtime, account.user_id) == 1
    tasks.process_video(server.runtime, video_id)  # a duplicate delivery changes nothing
    assert balance_of(server.runtime, account.user_id) == 1


def test_a_duplicate_delivery_processes_once(server: Server) -> None:
    account = make_account(server.runtime, credits=1)
    client = server.client(account.key)
    video_id = client.post("/v1/videos", **upload_files()).json()["data"]["id"]
    tasks.process_video(server.runtime, video_id)
    first = client.get(f"/v1/videos/{video_id}").json()["data"]
    tasks.process_video(server.runtime, video_id)
    assert client.get(f"/v1/videos/{video_id}").json()["data"]["updated_at"] == first["updated_at"]
    assert first["status"] == "completed" and balance_of(server.runtime, account.user_id) == 0


def test_deleting_a_processing_job_stops_the_worker_and_removes_everything(server: Server, tmp_path: Path) -> None:
    account = make_account(server.runtime, credits=1)
    client = server.client(account.key)
    clip = make_long_clip(tmp_path / "long.mp4")
    video_id = client.post("/v1/videos", **upload_files(video=clip)).json()["data"]["id"]
    with server.runtime.db.unit_of_work() as session:
        prefix = session.get(Video, video_id).input_image_key.rsplit("/", 1)[0]  # type: ignore[union-attr]
    worker = threading.Thread(target=tasks.process_video, args=(server.runtime, video_id))
    worker.start()
    wait_for_status(client, video_id, {"processing"}, timeout=30)
    deleted_at = time.monotonic()
    assert client.delete(f"/v1/videos/{video_id}").status_code == 200
    worker.join(timeout=10)
    assert not worker.is_alive() and time.monotonic() - deleted_at < 5
    assert [key for key in stored_keys(server.runtime) if key.startswith(prefix)] == []
    assert balance_of(server.runtime, account.user_id) == 1


def test_retention_removes_files_but_keeps_the_row(server: Server) -> None:
    account = make_account(server.runtime, credits=1)
    client = server.client(account.key)
    video_id = client.post("/v1/videos", **upload_files()).json()["data"]["id"]
    tasks.process_video(server.runtime, video_id)
    video = client.get(f"/v1/videos/{video_id}").json()["data"]
    assert httpx.get(video["output_video_url"], follow_redirects=True).status_code == 200
    _set(server, video_id, created_at=utcnow() - timedelta(days=8))
    assert tasks.purge_expired(server.runtime) >= 1
    after = client.get(f"/v1/videos/{video_id}").json()["data"]
    assert after["status"] == "completed"
    for url in (after["input_image_url"], after["input_video_url"], after["output_video_url"]):
        assert httpx.get(url, follow_redirects=True).status_code == 404


def test_jobs_left_processing_by_a_crash_are_resumed_at_start(tmp_path: Path) -> None:
    data_dir, backend = tmp_path / "data", make_backend()
    with running_server(data_dir, backend=backend) as first:
        account = make_account(first.runtime, credits=2)
        client = first.client(account.key)
        resumed = client.post("/v1/videos", **upload_files()).json()["data"]["id"]
        exhausted = client.post("/v1/videos", **upload_files()).json()["data"]["id"]
        _set(first, resumed, status=VideoStatus.processing, worker_id="crashed-1", attempts=1)
        _set(first, exhausted, status=VideoStatus.processing, worker_id="crashed-1", attempts=3)
    with running_server(data_dir, run_worker=True, backend=backend) as restarted:
        client = restarted.client(account.key)
        assert wait_for_status(client, resumed, {"completed", "failed"})["status"] == "completed"
        failed = client.get(f"/v1/videos/{exhausted}").json()["data"]
        assert failed["status"] == "failed" and failed["error"]["code"] == "internal"
        assert balance_of(restarted.runtime, account.user_id) == 1


def test_the_sweeper_removes_objects_no_live_video_owns(server: Server, tmp_path: Path) -> None:
    account = make_account(server.runtime, credits=1)
    video_id = server.client(account.key).post("/v1/videos", **upload_files()).json()["data"]["id"]
    stray = tmp_path / "stray.jpg"
    for prefix in ("videos/20200101T000000-dead", "videos/29990101T000000-inflight"):
        stray.write_bytes(b"x")
        server.runtime.storage.put_file(f"{prefix}/input.jpg", stray)
    assert tasks.sweep_orphans(server.runtime, grace=timedelta(minutes=5)) == 1
    keys = stored_keys(server.runtime)
    assert not any("dead" in key for key in keys) and any("inflight" in key for key in keys)
    with server.runtime.db.unit_of_work() as session:
        owned = session.get(Video, video_id).input_image_key  # type: ignore[union-attr]
    assert owned in keys
    server.runtime.storage.delete_prefix("videos/29990101T000000-inflight")
