"""The dashboard in a real headless Chromium: the issue's whole flow, CSRF and isolation."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.factories import CLIP, FACE, Server, running_server
from tests.web.browser import chromium, sign_up_in_browser
from tests.web.factories import PASSWORD, new_email


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("browser"), run_worker=True, signup_credits=5) as handle:
        yield handle


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as handle:
        yield handle


def _new_page(browser: Browser) -> Page:
    return browser.new_context(permissions=["clipboard-read", "clipboard-write"]).new_page()


def _create_key(page: Page, name: str) -> str:
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Create key").click()
    key = page.locator("#new-key").input_value()
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == key
    return key


def _watch_progress(page: Page, timeout_s: float = 150) -> list[int]:
    """Reads the row's progress as the page's own polling updates it, until the job ends."""
    seen: list[int] = []
    deadline = time.monotonic() + timeout_s
    row = page.locator("li.video").first
    while time.monotonic() < deadline:
        status, progress = row.get_attribute("data-status"), int(row.get_attribute("data-progress") or 0)
        if not seen or seen[-1] != progress:
            seen.append(progress)
        if status in ("completed", "failed"):
            assert status == "completed", row.inner_text()
            return seen
        time.sleep(0.25)
    raise AssertionError(f"the job did not finish; progress seen: {seen}")


def _played_seconds(page: Page) -> float:
    page.wait_for_function("() => { const v = document.querySelector('li.video video');"
                           " return v && v.readyState >= 1 && v.duration > 0; }", timeout=30_000)
    return float(page.evaluate("""async () => {
        const video = document.querySelector('li.video video');
        video.muted = true;
        await video.play();
        await new Promise((resolve) => setTimeout(resolve, 700));
        return video.currentTime;
    }"""))


def test_sign_up_key_upload_watch_play_delete_revoke(server: Server, browser: Browser) -> None:
    page = _new_page(browser)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_up_in_browser(page, server.url, new_email(), PASSWORD)
    key = _create_key(page, "browser test")
    api = httpx.Client(base_url=server.url, headers={"X-API-Key": key})
    assert api.get("/v1/credit-balance").json()["data"] == {"credits": 5}

    page.get_by_role("link", name="Videos").click()
    page.get_by_label("Source face photo").set_input_files(FACE)
    page.get_by_label("Target video").set_input_files(CLIP)
    page.get_by_label("Keep the original mouth").check()
    page.get_by_role("button", name="Upload and start").click()
    page.wait_for_selector("li.video", timeout=30_000)
    assert page.evaluate("document.getElementById('upload-progress').value") == 100
    seen = _watch_progress(page)
    assert seen[-1] == 100 and "100%" in page.locator("li.video .percent").inner_text()
    assert seen == sorted(seen), seen
    assert _played_seconds(page) > 0
    (video,) = api.get("/v1/videos").json()["data"]
    assert (video["status"], video["mouth_mask"]) == ("completed", True)
    assert page.get_by_role("link", name=f"Download video #{video['id']}").is_visible()

    page.get_by_role("button", name=f"Delete video #{video['id']}").click()
    page.wait_for_selector("#no-videos:not([hidden])")
    assert api.get(f"/v1/videos/{video['id']}").status_code == 404

    page.get_by_role("link", name="API Keys").click()
    page.get_by_role("button", name="Revoke browser test").click()
    page.wait_for_selector("text=revoked")
    assert api.get("/v1/credit-balance").status_code == 401


def test_a_form_without_its_csrf_token_is_rejected(server: Server, browser: Browser) -> None:
    page = _new_page(browser)
    sign_up_in_browser(page, server.url, new_email(), PASSWORD)
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach((input) => input.remove())")
    page.get_by_label("Name").fill("forged")
    page.get_by_role("button", name="Create key").click()
    assert "did not come from this site" in page.content()
    page.goto(f"{server.url}/keys")
    assert "forged" not in page.content()


def test_another_users_pages_show_nothing_of_the_first_users(server: Server, browser: Browser) -> None:
    first, second = _new_page(browser), _new_page(browser)
    first_email = new_email()
    sign_up_in_browser(first, server.url, first_email, PASSWORD)
    _create_key(first, "first-users-key")
    sign_up_in_browser(second, server.url, new_email(), PASSWORD)
    for path in ("/keys", "/videos", "/credits", "/account"):
        second.goto(f"{server.url}{path}")
        content = second.content()
        assert first_email not in content and "first-users-key" not in content, path
    assert "first-users-key" in first.content()
