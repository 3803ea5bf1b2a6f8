"""Dashboard test helpers: a browser-like HTTP client (cookies, CSRF tokens from the pages)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import httpx

from tests.factories import Server

PASSWORD = "correct horse battery"
_counter = iter(range(1, 1_000_000))
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_KEY = re.compile(r'id="new-key"[^>]*value="(dfw_[^"]+)"')


def new_email() -> str:
    return f"web{next(_counter)}-{time.monotonic_ns()}@example.com"


def csrf(client: httpx.Client, path: str) -> str:
    match = _TOKEN.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@dataclass
class WebAccount:
    client: httpx.Client
    email: str

    def post(self, path: str, form_page: str, **fields: str) -> httpx.Response:
        return self.client.post(path, data={"csrf_token": csrf(self.client, form_page), **fields})

    def create_key(self, name: str = "test") -> str:
        match = _KEY.search(self.post("/keys", "/keys", name=name).text)
        assert match, "the new key was not shown"
        return match.group(1)


def browser_client(server: Server) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=60)


def sign_up(server: Server, email: str | None = None, password: str = PASSWORD) -> WebAccount:
    client = browser_client(server)
    email = email or new_email()
    response = client.post("/signup", data={"csrf_token": csrf(client, "/signup"), "email": email,
                                            "password": password, "terms": "on"})
    assert response.status_code == 303, response.text
    return WebAccount(client, email)


def log_in(server: Server, email: str, password: str = PASSWORD, client: httpx.Client | None = None
           ) -> httpx.Response:
    client = client or browser_client(server)
    return client.post("/login", data={"csrf_token": csrf(client, "/login"), "email": email, "password": password})
