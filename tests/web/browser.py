"""Playwright for Python driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

__all__ = ["CHROMIUM", "chromium", "sign_up_in_browser"]

CHROMIUM = Path("/usr/bin/chromium")


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield browser
        finally:
            browser.close()


def sign_up_in_browser(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("#terms").check()
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(f"{base_url}/keys")
