"""Factories shared by the API tests: a real server on loopback, users with keys and credits, media."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from deepfakesweb.apikeys.service import create_key
from deepfakesweb.config import Settings
from deepfakesweb.credits.service import Grant, grant
from deepfakesweb.runtime import Runtime, build_runtime
from deepfakesweb.users.service import create_user

DATA = Path(__file__).parent / "data"
FACE = DATA / "face_obama.jpg"
OTHER_FACE = DATA / "face_biden.jpg"
NO_FACE = DATA / "noface_coffee.png"
SMALL_FACE = DATA / "face_small.jpg"  # 20 KB crop of the Obama photo, for size-limit tests
CLIP = DATA / "video_headpose_one_face.mp4"
TWO_FACES_CLIP = DATA / "video_headpose_two_faces.mp4"

_counter = iter(range(1, 1_000_000))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    runtime: Runtime
    url: str

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"X-API-Key": key} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)


def scaled() -> bool:
    return os.environ.get("DFW_TEST_BACKEND") == "scaled"


def make_backend() -> dict[str, Any]:
    """Settings for a fresh, isolated set of backends: embedded by default; with DFW_TEST_BACKEND=scaled,
    a new PostgreSQL database, a Redis namespace and an S3 bucket on the servers scripts/services.sh runs."""
    if not scaled():
        return {}
    import boto3
    import psycopg

    name = f"dfw_{uuid.uuid4().hex[:12]}"
    admin_url = os.environ["DFW_TEST_PG_URL"]
    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    endpoint, bucket = os.environ["DFW_TEST_S3_ENDPOINT"], name.replace("_", "-")
    credentials = {"s3_access_key_id": "testing", "s3_secret_access_key": "testing"}
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=bucket)
    redis_url = os.environ["DFW_TEST_REDIS_URL"]
    return {
        "database_url": admin_url.rsplit("/", 1)[0] + "/" + name,
        "queue_url": redis_url,
        "rate_limit_url": redis_url,
        "storage_url": f"s3://{bucket}/objects",
        "s3_endpoint_url": endpoint,
        "secret_key": f"test-secret-{name}",
        "namespace": name,
        **credentials,
    }


@contextmanager
def running_server(
    data_dir: Path, run_worker: bool = False, backend: dict[str, Any] | None = None, **overrides: Any
) -> Iterator[Server]:
    """`deepfakesweb serve` in a thread: real uvicorn, real HTTP on loopback, its own data and backends."""
    from deepfakesweb.api.app import create_app

    port = free_port()
    backend = make_backend() if backend is None else backend
    overrides.setdefault("signup_throttle", "1000/hour")  # tests sign many accounts up from one address
    settings = Settings(data_dir=data_dir, public_url=f"http://127.0.0.1:{port}", **{**backend, **overrides})
    runtime = build_runtime(settings)
    runtime.migrate()
    config = uvicorn.Config(
        create_app(runtime, run_worker=run_worker), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield Server(runtime=runtime, url=f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        runtime.close()


@dataclass(frozen=True)
class Account:
    user_id: int
    email: str
    key: str


def make_account(runtime: Runtime, credits: int = 100) -> Account:
    email = f"user{next(_counter)}-{time.monotonic_ns()}@example.com"
    with runtime.db.unit_of_work() as session:
        user = create_user(session, email)
        if credits:
            grant(session, user.id, Grant(credits=credits))
        _, secret = create_key(session, user.id, "test")
        user_id = user.id
    return Account(user_id, email, secret)


def upload_files(image: Path = FACE, video: Path = CLIP, **fields: str) -> dict[str, Any]:
    files = {"image": (image.name, image.read_bytes()), "video": (video.name, video.read_bytes())}
    return {"files": files, "data": fields}


def wait_for_status(client: httpx.Client, video_id: int, statuses: set[str], timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/v1/videos/{video_id}").json()
        if body["data"]["status"] in statuses:
            return body["data"]  # type: ignore[no-any-return]
        time.sleep(0.2)
    raise AssertionError(f"video {video_id} never reached {statuses}")


def balance_of(runtime: Runtime, user_id: int) -> int:
    from deepfakesweb.credits.service import balance

    with runtime.db.unit_of_work() as session:
        return balance(session, user_id)


def stored_keys(runtime: Runtime) -> list[str]:
    return list(runtime.storage.iter_keys())


def make_faceless_clip(path: Path, seconds: float = 1.0) -> Path:
    import cv2

    from tests.engine.factories import make_clip

    image = cv2.resize(cv2.imread(str(NO_FACE)), (320, 240))
    return Path(make_clip(f"{path.stem}-{uuid.uuid4().hex}.mp4", images=[image] * int(seconds * 25)))


def make_long_clip(path: Path, repeats: int = 6) -> Path:
    """The one-face clip played `repeats` times over, for jobs that must still be running mid-test."""
    from tests.engine.factories import make_clip, read_frames

    frames = read_frames(str(CLIP))
    return Path(make_clip(f"{path.stem}-{uuid.uuid4().hex}.mp4", images=frames * repeats))


def descriptor_processes() -> list[int]:
    """Pids of this test process's running descriptor children (the engine's dlib helper)."""
    found = []
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as f:
            for pid in f.read().split():
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as cmd:
                        if b"describe_child.py" in cmd.read():
                            found.append(int(pid))
                except OSError:
                    pass  # it ended meanwhile
    return found
