from __future__ import annotations

import re

import httpx

from deepfakesweb.users import repository as users
from tests.factories import Server, running_server
from tests.web.factories import PASSWORD, browser_client, csrf, log_in, new_email, sign_up


def _cookie_header(response: httpx.Response, name: str) -> str:
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}="))


def test_sign_up_sets_a_lax_httponly_session_and_stores_an_argon2_hash(server: Server) -> None:
    client = browser_client(server)
    email = new_email()
    response = client.post("/signup", data={"csrf_token": csrf(client, "/signup"), "email": email,
                                            "password": PASSWORD, "terms": "on"})
    assert (response.status_code, response.headers["location"]) == (303, "/keys")
    cookie = _cookie_header(response, "dfw_session").lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    with server.runtime.db.unit_of_work() as session:
        user = users.get_by_email(session, email)
        assert user is not None and user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
    assert "Your keys" in client.get("/keys").text


def test_the_cookies_are_secure_behind_https(server: Server) -> None:
    # A TLS-terminating proxy on loopback (trusted by uvicorn's proxy headers) says the client used HTTPS.
    proxy = {"X-Forwarded-Proto": "https"}
    page = httpx.get(server.url + "/signup", headers=proxy)
    seed = _cookie_header(page, "dfw_csrf")
    assert "secure" in seed.lower()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = httpx.post(server.url + "/signup", headers={**proxy, "Cookie": seed.split(";")[0]}, data={
        "csrf_token": token, "email": new_email(), "password": PASSWORD, "terms": "on"})
    assert response.status_code == 303
    assert "secure" in _cookie_header(response, "dfw_session").lower()


def test_the_terms_must_be_accepted(server: Server) -> None:
    client = browser_client(server)
    email = new_email()
    response = client.post("/signup", data={"csrf_token": csrf(client, "/signup"), "email": email,
                                            "password": PASSWORD})
    assert response.status_code == 400 and "accept the terms" in response.text
    assert server.runtime.settings.terms_text in client.get("/signup").text
    with server.runtime.db.unit_of_work() as session:
        assert users.get_by_email(session, email) is None


def test_new_accounts_get_the_signup_credits(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with running_server(tmp_path / "data", signup_credits=7) as server:
        account = sign_up(server)
        key = account.create_key()
        assert httpx.get(server.url + "/v1/credit-balance", headers={"X-API-Key": key}).json()["data"] == {
            "credits": 7}


def test_no_signup_credits_by_default(server: Server) -> None:
    key = sign_up(server).create_key()
    assert httpx.get(server.url + "/v1/credit-balance", headers={"X-API-Key": key}).json()["data"] == {"credits": 0}


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(server: Server) -> None:
    account = sign_up(server)
    wrong = log_in(server, account.email, "not the password")
    unknown = log_in(server, new_email(), PASSWORD)
    client = browser_client(server)
    taken = client.post("/signup", data={"csrf_token": csrf(client, "/signup"), "email": account.email,
                                         "password": PASSWORD, "terms": "on"})
    assert wrong.status_code == unknown.status_code == 401
    assert "Incorrect email or password." in wrong.text and "Incorrect email or password." in unknown.text
    assert taken.status_code == 409 and "cannot be used to sign up" in taken.text  # never "already exists"
    assert log_in(server, account.email).status_code == 303


def test_five_failures_lock_that_email_from_this_address_for_a_while(server: Server) -> None:
    account, other = sign_up(server), sign_up(server)
    for _ in range(5):
        assert log_in(server, account.email, "wrong password!").status_code == 401
    refused = log_in(server, account.email)  # even the right password
    assert refused.status_code == 429 and "Too many failed attempts" in refused.text
    assert log_in(server, other.email).status_code == 303


def test_logging_out_ends_the_session_on_the_server(server: Server) -> None:
    account = sign_up(server)
    stolen = dict(account.client.cookies)
    assert account.post("/logout", "/keys").headers["location"] == "/login"
    replay = httpx.Client(base_url=server.url, cookies=stolen)
    response = replay.get("/keys")
    assert (response.status_code, response.headers["location"]) == (303, "/login")


def test_pages_need_a_session(server: Server) -> None:
    client = browser_client(server)
    for path in ("/keys", "/videos", "/credits", "/account"):
        response = client.get(path)
        assert (response.status_code, response.headers["location"]) == (303, "/login")
    assert client.get("/videos/status", headers={"Accept": "application/json"}).status_code == 401


def test_sign_ups_are_limited_per_client_address(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.web.factories import browser_client, csrf, new_email

    with running_server(tmp_path / "data", signup_throttle="2/hour") as server:
        client = browser_client(server)
        statuses = []
        for _ in range(3):
            client.cookies.clear()
            client.get("/signup")
            statuses.append(client.post("/signup", data={"csrf_token": csrf(client, "/signup"), "email": new_email(),
                                                         "password": "correct horse battery", "terms": "on"}
                                        ).status_code)
        assert statuses == [303, 303, 429]


def test_dashboard_pages_carry_a_strict_content_security_policy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with running_server(tmp_path / "data") as server:
        policy = httpx.get(server.url + "/login").headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe" not in policy
