"""Two API processes and two workers on PostgreSQL + Redis + S3; one worker dies mid-job."""

from __future__ import annotations

import itertools
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from deepfakesweb.config import Settings
from deepfakesweb.credits.service import balance
from deepfakesweb.runtime import Runtime, build_runtime
from deepfakesweb.videos.models import Video, VideoStatus
from tests.factories import CLIP, FACE, make_account, make_backend, make_long_clip, scaled
from tests.scale.fleet import Fleet

pytestmark = pytest.mark.skipif(not scaled(), reason="runs in the scaled pass of scripts/test.sh")


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    root = tmp_path_factory.mktemp("fleet")
    backend = {**make_backend(), "lease_s": 3, "reconcile_interval_s": 1}
    fleet = Fleet(backend, root)
    try:
        fleet.start_api("api-1")
        fleet.start_api("api-2")
        fleet.start_worker("worker-a")
        fleet.start_worker("worker-b")
        yield fleet
    finally:
        fleet.stop_all()


@pytest.fixture(scope="module")
def runtime(fleet: Fleet) -> Iterator[Runtime]:
    settings = {k: v for k, v in fleet.backend.items()}
    handle = build_runtime(Settings(data_dir=fleet.root / "test", **settings))
    handle.migrate()
    yield handle
    handle.close()


def test_the_rate_limit_holds_across_api_processes(fleet: Fleet, runtime: Runtime) -> None:
    key = make_account(runtime).key
    urls = itertools.cycle(fleet.api_urls)
    statuses = [httpx.get(next(urls) + "/v1/credit-balance", headers={"X-API-Key": key}).status_code
                for _ in range(110)]
    assert statuses.count(200) == 100 and statuses.count(429) == 10


def _submit(url: str, key: str, video: Path) -> int:
    files = {"image": (FACE.name, FACE.read_bytes()), "video": (video.name, video.read_bytes())}
    response = httpx.post(url + "/v1/videos", headers={"X-API-Key": key}, files=files, timeout=60)
    assert response.status_code == 200, response.text
    return int(response.json()["data"]["id"])


def _status(url: str, key: str, video_id: int) -> dict:
    return httpx.get(f"{url}/v1/videos/{video_id}", headers={"X-API-Key": key}).json()["data"]  # type: ignore[no-any-return]


def test_jobs_complete_when_a_worker_is_killed_mid_job(fleet: Fleet, runtime: Runtime, tmp_path: Path) -> None:
    accounts = [make_account(runtime, credits=10) for _ in range(3)]
    long_clip = make_long_clip(tmp_path / "long.mp4", repeats=4)
    urls = itertools.cycle(fleet.api_urls)
    victim = _submit(next(urls), accounts[0].key, long_clip)
    owner = _wait_processing(runtime, victim)
    fleet.kill(owner)
    jobs = [(accounts[0], victim)] + [(accounts[n % 3], _submit(next(urls), accounts[n % 3].key, CLIP))
                                      for n in range(1, 20)]
    finals = {video_id: _wait_terminal(runtime, fleet.api_urls[1], account.key, video_id) for account, video_id in jobs}
    assert {video["status"] for video in finals.values()} == {"completed"}
    assert finals[victim]["ec2_instance_id"] != owner
    with runtime.db.unit_of_work() as session:
        for account in accounts:
            spent = sum(finals[v]["credits_used"] for a, v in jobs if a == account)
            assert balance(session, account.user_id) == 10 - spent


def _row(runtime: Runtime, video_id: int) -> Video:
    with runtime.db.unit_of_work() as session:
        video = session.get(Video, video_id)
        assert video is not None
        return video


def _wait_processing(runtime: Runtime, video_id: int, timeout: float = 60) -> str:
    """Polls the database, not the API: polling through the API would spend the key's rate limit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        video = _row(runtime, video_id)
        if video.status == VideoStatus.processing and video.progress > 0:
            return str(video.worker_id)
        time.sleep(0.1)
    raise AssertionError("the job never started")


def _wait_terminal(runtime: Runtime, url: str, key: str, video_id: int, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _row(runtime, video_id).status in (VideoStatus.completed, VideoStatus.failed):
            return _status(url, key, video_id)
        time.sleep(0.3)
    raise AssertionError(f"video {video_id} never finished")


def test_sigterm_hands_the_running_job_to_another_worker(fleet: Fleet, runtime: Runtime, tmp_path: Path) -> None:
    fleet.start_worker("worker-c")
    account = make_account(runtime, credits=5)
    video_id = _submit(fleet.api_urls[0], account.key, make_long_clip(tmp_path / "long.mp4", repeats=4))
    owner = _wait_processing(runtime, video_id)
    stopping = time.monotonic()
    assert fleet.kill(owner, signal.SIGTERM, timeout=30) == 0
    assert time.monotonic() - stopping < 10
    final = _wait_terminal(runtime, fleet.api_urls[1], account.key, video_id)
    assert final["status"] == "completed" and final["ec2_instance_id"] != owner


def test_workers_serve_health_and_metrics(fleet: Fleet) -> None:
    alive = [name for name, process in fleet.processes.items() if name.startswith("worker") and process.poll() is None]
    url = fleet.health_urls[alive[0]]
    ready = httpx.get(url + "/readyz").json()
    assert ready["message"] == "Ready" and set(ready["data"].values()) == {"ok"}
    metrics = httpx.get(url + "/metrics").text
    assert "dfw_job_seconds_bucket" in metrics and "dfw_job_fps_bucket" in metrics
    api_metrics = httpx.get(fleet.api_urls[0] + "/metrics").text
    assert 'dfw_jobs{status="completed"}' in api_metrics and "dfw_http_request_seconds_bucket" in api_metrics


def test_sigterm_lets_an_api_process_finish_its_in_flight_request(fleet: Fleet, runtime: Runtime) -> None:
    account = make_account(runtime, credits=1)
    started, outcome = threading.Event(), {}

    def slow_body() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="image"; filename="f.jpg"\r\n\r\n' + FACE.read_bytes()
        started.set()
        time.sleep(2)  # the process is told to stop while this request is still arriving
        yield b'\r\n--b\r\nContent-Disposition: form-data; name="video"; filename="v.mp4"\r\n\r\n'
        yield CLIP.read_bytes() + b"\r\n--b--\r\n"

    def post() -> None:
        outcome["response"] = httpx.post(fleet.api_urls[1] + "/v1/videos", content=slow_body(), timeout=60, headers={
            "X-API-Key": account.key, "Content-Type": "multipart/form-data; boundary=b"})

    client = threading.Thread(target=post)
    client.start()
    assert started.wait(30)
    # uvicorn drains, then re-raises the signal it caught, so the exit status is -SIGTERM.
    assert fleet.kill("api-2", signal.SIGTERM, timeout=40) == -signal.SIGTERM
    client.join(timeout=30)
    assert outcome["response"].status_code == 200, outcome["response"].text
