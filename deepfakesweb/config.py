"""Settings from `DFW_*` environment variables; one frozen object passed everywhere, never a global."""

from __future__ import annotations

import os
import secrets
import socket
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings", "ConfigError"]

MB = 1024 * 1024


class ConfigError(RuntimeError):
    pass


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DFW_", frozen=True, extra="ignore")

    data_dir: Path = Path("./data")
    database_url: str | None = None
    queue_url: str | None = None
    storage_url: str | None = None
    rate_limit_url: str = "memory://"
    secret_key: str | None = None
    public_url: str = "http://127.0.0.1:8000"
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    metrics_token: str | None = None
    instance_id: str = Field(default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}")

    rate_limit: str = "100/minute"
    unauth_rate_limit: str = "60/minute"
    max_active_videos: int = 10
    credits_per_minute: int = 1
    min_credits: int = 1
    link_ttl_s: int = 24 * 3600
    retention_days: float = 7.0
    max_attempts: int = 3
    idempotency_ttl_s: int = 24 * 3600

    max_image_bytes: int = 15 * MB
    max_image_pixels: int = 40_000_000
    max_video_bytes: int = 500 * MB
    max_video_seconds: float = 300.0
    max_video_side: int = 4096

    worker_threads: int = 1
    lease_s: float = 60.0
    reconcile_interval_s: float = 15.0
    log_format: str = "json"  # or "console"
    namespace: str = "dfw"  # prefixes queue and rate-limit keys in a shared Redis

    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    presign_ttl_s: int = 300
    visible_watermark: bool = False
    demo_credits: int = 100

    # --- dashboard, accounts and payments (issue 5) ---------------------------------------------
    signup_credits: int = 0
    terms_text: str = ("I will only upload photos and videos of people who gave their consent, "
                       "and I will use the results lawfully.")
    secure_cookies: bool | None = None  # None: Secure when the request (or DFW_PUBLIC_URL) is HTTPS
    session_ttl_s: int = 14 * 24 * 3600
    login_throttle: str = "5/15 minutes"  # failed logins per email + client IP
    signup_throttle: str = "10/hour"  # sign-up attempts per client IP
    credit_packs: str = "100:700,500:3000,1200:6000"  # credits:price in cents, comma-separated
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_currency: str = "usd"
    stripe_api_base: str | None = None  # tests point the stripe library at a local recorder
    # --- end of issue 5 block ----------------------------------------------------------------------

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @cached_property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'deepfakesweb.db').resolve()}"

    @cached_property
    def resolved_queue_url(self) -> str:
        return self.queue_url or f"sqlite:///{(self.data_dir / 'queue.db').resolve()}"

    @cached_property
    def resolved_storage_url(self) -> str:
        return self.storage_url or f"file://{(self.data_dir / 'files').resolve()}"

    @cached_property
    def resolved_secret_key(self) -> bytes:
        if self.secret_key:
            return self.secret_key.encode()
        if not self.is_sqlite:
            raise ConfigError("DFW_SECRET_KEY is required when DFW_DATABASE_URL is not SQLite")
        return _load_or_create_secret(self.data_dir / "secret_key")


def _load_or_create_secret(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip().encode()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip().encode()
