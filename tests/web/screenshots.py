"""`make screenshots`: one PNG per dashboard page under docs/screenshots/ (not part of the test run).

Runs a throw-away server (embedded worker, Stripe keys set so the packs show; nothing is sent to Stripe),
signs up in headless Chromium, makes a key, swaps the example clip and captures each page."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from deepfakesweb.credits import service as credits
from deepfakesweb.users import repository as users
from tests.factories import CLIP, FACE, running_server
from tests.web.browser import chromium, sign_up_in_browser

EMAIL = "ada@example.com"
PASSWORD = "correct horse battery"
STRIPE = {"stripe_secret_key": "sk_test_screenshots", "stripe_webhook_secret": "whsec_screenshots"}


def capture(target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as data, running_server(Path(data), run_worker=True, signup_credits=5,
                                                               **STRIPE) as server, chromium() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 820})
        page.on("dialog", lambda dialog: dialog.accept())

        def shot(name: str) -> None:
            path = target / f"{name}.png"
            page.screenshot(path=str(path), full_page=True)
            shots.append(path)

        page.goto(f"{server.url}/login")
        shot("login")
        page.goto(f"{server.url}/signup")
        page.get_by_label("Email").fill(EMAIL)
        shot("signup")
        sign_up_in_browser(page, server.url, EMAIL, PASSWORD)
        page.get_by_label("Name").fill("production server")
        page.get_by_role("button", name="Create key").click()
        shot("api-keys")
        page.goto(f"{server.url}/videos")
        page.get_by_label("Source face photo").set_input_files(FACE)
        page.get_by_label("Target video").set_input_files(CLIP)
        page.get_by_role("button", name="Upload and start").click()
        page.wait_for_selector("li.video[data-status=completed] video", timeout=180_000)
        _buffer_video(page)
        shot("videos")
        _purchase(server.runtime)
        page.goto(f"{server.url}/credits")
        shot("credits")
        page.goto(f"{server.url}/account")
        shot("account")
        page.set_viewport_size({"width": 390, "height": 800})
        page.goto(f"{server.url}/videos")
        _buffer_video(page)
        shot("videos-mobile")
    return shots


def _buffer_video(page) -> None:  # type: ignore[no-untyped-def]
    """Loads the whole clip and shows its second frame, so the player is not caught mid-spinner."""
    page.evaluate("() => { const v = document.querySelector('li.video video'); v.preload = 'auto'; v.load(); }")
    page.wait_for_function("document.querySelector('li.video video').readyState >= 4")
    page.evaluate("() => { document.querySelector('li.video video').currentTime = 1.0; }")
    page.wait_for_function("document.querySelector('li.video video').readyState >= 2")
    time.sleep(0.3)


def _purchase(runtime) -> None:  # type: ignore[no-untyped-def]
    """A completed Stripe-shaped purchase, so the transaction history has a row to show."""
    with runtime.db.unit_of_work() as session:
        user_id = users.get_by_email(session, EMAIL).id
        credits.grant(session, user_id, credits.Grant(100, 700, "stripe", "cs_test_a1dpEwTkU5E3iD4gqJJDY9ffal",
                                                      "ada@example.com"))


if __name__ == "__main__":
    for saved in capture(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(saved)
