"""API benchmark: latency and throughput of the read endpoints, and server memory during a big upload.

Starts `deepfakesweb serve --no-worker` (embedded: SQLite, local files; no worker, so no swap competes for the
cores and the 30 seeded videos stay pending) on loopback with the
per-key rate limit raised to 1,000,000/minute for the run (the default 100/min would refuse almost every
request), creates 50 users with keys, then drives GET /v1/videos and GET /v1/credit-balance with
concurrent httpx clients. Finally streams a 200 MB upload and samples the server's RSS.

Usage: python bench/api.py [--requests 4000] [--concurrency 16] [--upload-mb 200]
       python bench/api.py --scaled --processes 2   # PostgreSQL + Redis + S3 from scripts/services.sh,
                                                    # 2 API processes (serve --no-worker), requests round-robin
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
FACE = ROOT / "tests" / "data" / "face_obama.jpg"
CLIP = ROOT / "tests" / "data" / "video_headpose_one_face.mp4"


def start_server(data_dir: Path, port: int, extra_env: dict[str, str], worker: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DFW_DATA_DIR": str(data_dir), "DFW_RATE_LIMIT": "1000000/minute", **extra_env}
    command = [sys.executable, "-m", "deepfakesweb", "serve", "--port", str(port)] + ([] if worker else ["--no-worker"])
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("server did not start")


def make_keys(data_dir: Path, count: int, extra_env: dict[str, str]) -> list[str]:
    os.environ["DFW_DATA_DIR"] = str(data_dir)
    os.environ.update(extra_env)
    from deepfakesweb.apikeys.service import create_key
    from deepfakesweb.config import Settings
    from deepfakesweb.credits.service import Grant, grant
    from deepfakesweb.runtime import build_runtime
    from deepfakesweb.users.service import create_user

    runtime = build_runtime(Settings())
    runtime.migrate()
    keys = []
    with runtime.db.unit_of_work() as session:
        for index in range(count):
            user = create_user(session, f"bench{index}-{time.time_ns()}@example.com")
            grant(session, user.id, Grant(credits=100))
            keys.append(create_key(session, user.id, "bench")[1])
    runtime.close()
    return keys


def seed_videos(base: str, keys: list[str], per_user: int) -> None:
    files = {"image": FACE.read_bytes(), "video": CLIP.read_bytes()}
    for key in keys:
        with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=60) as client:
            for _ in range(per_user):
                upload = {"image": ("f.jpg", files["image"]), "video": ("v.mp4", files["video"])}
                client.post("/v1/videos", files=upload)


def drive(bases: list[str], path: str, keys: list[str], requests: int, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    lock = threading.Lock()
    per_worker = requests // concurrency

    def worker(index: int) -> None:
        with httpx.Client(base_url=bases[index % len(bases)], timeout=30) as client:
            for n in range(per_worker):
                key = keys[(index * per_worker + n) % len(keys)]
                started = time.perf_counter()
                response = client.get(path, headers={"X-API-Key": key})
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise SystemExit(f"{path}: HTTP {response.status_code} {response.text[:200]}")
                with lock:
                    latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, range(concurrency)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {"p50_ms": 1000 * statistics.median(latencies), "p99_ms": 1000 * latencies[int(0.99 * len(latencies)) - 1],
            "rps": len(latencies) / wall, "n": len(latencies)}


def upload_rss(base: str, key: str, pid: int, megabytes: int) -> tuple[float, float, int]:
    process = psutil.Process(pid)
    idle = process.memory_info().rss
    peak = idle
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.02)

    def body():  # a real MP4 head, then padding: the server must stream it all before it can judge it
        boundary = b"benchboundary"
        yield b"--" + boundary + b'\r\nContent-Disposition: form-data; name="image"; filename="f.jpg"\r\n\r\n'
        yield FACE.read_bytes() + b"\r\n--" + boundary
        yield b'\r\nContent-Disposition: form-data; name="video"; filename="v.mp4"\r\n\r\n'
        yield CLIP.read_bytes()
        chunk = b"\0" * (1 << 20)
        for _ in range(megabytes):
            yield chunk
        yield b"\r\n--" + boundary + b"--\r\n"

    sampler = threading.Thread(target=sample)
    sampler.start()
    response = httpx.post(f"{base}/v1/videos", content=body(), timeout=600,
                          headers={"X-API-Key": key, "Content-Type": "multipart/form-data; boundary=benchboundary"})
    done.set()
    sampler.join()
    return idle / 2**20, peak / 2**20, response.status_code


def scaled_env() -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from tests.factories import make_backend

    os.environ["DFW_TEST_BACKEND"] = "scaled"
    return {f"DFW_{name.upper()}": str(value) for name, value in make_backend().items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--upload-mb", type=int, default=200)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--processes", type=int, default=1, help="API processes (more than 1 needs --scaled)")
    parser.add_argument("--scaled", action="store_true", help="PostgreSQL + Redis + S3 (scripts/services.sh)")
    args = parser.parse_args()
    extra_env = scaled_env() if args.scaled else {}
    extra_env.update({k: v for k, v in os.environ.items() if k.startswith("DFW_") and k != "DFW_DATA_DIR"})
    with tempfile.TemporaryDirectory(prefix="dfw-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        keys = make_keys(data_dir, args.users, extra_env)
        ports = [args.port + n for n in range(args.processes)]
        servers = [start_server(data_dir, port, {"DFW_WORKER_THREADS": "1", **extra_env},
                                worker=False) for port in ports]
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        try:
            seed_videos(bases[0], keys[:10], 3)
            backend = "PostgreSQL + Redis + S3 (moto)" if args.scaled else "embedded: SQLite, local files"
            print(f"server: {args.processes} x deepfakesweb serve ({backend}), rate limit raised to 1000000/min; "
                  f"{args.users} users, {args.concurrency} concurrent clients, {os.cpu_count()} cores")
            print(f"{'endpoint':<22}{'requests':>9}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}")
            for path in ("/v1/videos", "/v1/credit-balance"):
                drive(bases, path, keys, 400, args.concurrency)  # warm-up
                r = drive(bases, path, keys, args.requests, args.concurrency)
                print(f"{path:<22}{r['n']:>9}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['rps']:>9.0f}")
            idle, peak, status = upload_rss(bases[0], keys[-1], servers[0].pid, args.upload_mb)
            print(f"upload {args.upload_mb} MB: server RSS idle {idle:.0f} MB, peak {peak:.0f} MB, "
                  f"+{peak - idle:.0f} MB (goal < 150 MB); HTTP {status}")
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
