"""A fleet of real processes for the scale-out tests: API servers and workers sharing PG, Redis and S3."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.factories import free_port


def backend_env(backend: dict[str, Any], data_dir: Path, **extra: Any) -> dict[str, str]:
    settings = {**backend, "data_dir": data_dir, "log_format": "json", **extra}
    return {**os.environ, **{f"DFW_{name.upper()}": str(value) for name, value in settings.items()}}


@dataclass
class Fleet:
    backend: dict[str, Any]
    root: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    api_urls: list[str] = field(default_factory=list)
    health_urls: dict[str, str] = field(default_factory=dict)

    def start_api(self, name: str) -> str:
        port = free_port()
        env = backend_env(self.backend, self.root / name, public_url=f"http://127.0.0.1:{port}")
        self._spawn(name, ["serve", "--no-worker", "--port", str(port)], env)
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, self.processes[name])
        self.api_urls.append(url)
        return url

    def start_worker(self, name: str, **extra: Any) -> None:
        health = free_port()
        env = backend_env(self.backend, self.root / name, instance_id=name, **extra)
        self._spawn(name, ["worker", "--concurrency", "1", "--health-port", str(health)], env)
        self.health_urls[name] = f"http://127.0.0.1:{health}"
        _wait_healthy(self.health_urls[name], self.processes[name])

    def kill(self, name: str, signum: int = signal.SIGKILL, timeout: float = 10) -> int:
        self.processes[name].send_signal(signum)
        return self.processes[name].wait(timeout=timeout)

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> None:
        log = open(self.root / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen([sys.executable, "-m", "deepfakesweb", *args], env=env,
                                                stdout=log, stderr=subprocess.STDOUT)


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {process.returncode}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not become healthy")
