from __future__ import annotations

from pathlib import Path

import httpx

from deepfakesweb.users import repository as users
from tests.factories import Server, running_server
from tests.payments.factories import SECRET_KEY, StripeRecorder
from tests.web.factories import WebAccount, sign_up


def _user_id(server: Server, email: str) -> int:
    with server.runtime.db.unit_of_work() as session:
        return users.get_by_email(session, email).id  # type: ignore[union-attr]


def _transactions(server: Server, web: WebAccount) -> list[dict[str, object]]:
    key = web.create_key()
    return httpx.get(server.url + "/v1/transactions", headers={"X-API-Key": key}).json()["data"]  # type: ignore


def test_buy_creates_a_checkout_session_and_a_pending_transaction(server: Server, recorder: StripeRecorder) -> None:
    web = sign_up(server)
    web.client.cookies.set("_ga", "GA1.1.1234567890.1700000000")
    web.client.cookies.set("_ga_ABC123", "GS1.1.1700000123.1.1.1700000200.0.0.0")
    response = web.post("/credits/buy", "/credits", pack="100")
    assert response.status_code == 303
    sent = recorder.requests[-1]
    session_id = response.headers["location"].rsplit("/", 1)[-1]
    assert (sent.method, sent.path) == ("POST", "/v1/checkout/sessions")
    assert sent.headers["Authorization"] == f"Bearer {SECRET_KEY}"
    assert sent.form["client_reference_id"] == str(_user_id(server, web.email))
    assert sent.form["customer_email"] == web.email and sent.form["mode"] == "payment"
    assert (sent.form["metadata[pack]"], sent.form["metadata[ga_client_id]"], sent.form["metadata[ga_session_id]"]) \
        == ("100", "1234567890.1700000000", "1700000123")
    assert (sent.form["line_items[0][price_data][unit_amount]"], sent.form["line_items[0][quantity]"]) == ("700", "1")
    (pending,) = _transactions(server, web)
    assert (pending["payment_status"], pending["payment_method"], pending["amount"], pending["credits_purchased"]) \
        == ("pending", "stripe", 700, 100)
    assert pending["payment_id"] == {"String": session_id, "Valid": True}
    assert pending["ga_client_id"] == {"String": "1234567890.1700000000", "Valid": True}


def test_the_credits_page_lists_the_packs(server: Server) -> None:
    page = sign_up(server).client.get("/credits").text
    assert "100 credits" in page and "$7.00" in page and "$30.00" in page and "disabled" not in page


def test_an_unknown_pack_or_a_stripe_outage_records_nothing(server: Server, recorder: StripeRecorder) -> None:
    web = sign_up(server)
    assert web.post("/credits/buy", "/credits", pack="999").status_code == 400
    recorder.fail = True
    try:
        outage = web.post("/credits/buy", "/credits", pack="100")
    finally:
        recorder.fail = False
    assert outage.status_code == 503 and "payment provider is unavailable" in outage.text
    assert _transactions(server, web) == []


def test_without_stripe_keys_purchases_are_disabled(tmp_path: Path) -> None:
    with running_server(tmp_path / "data") as server:
        web = sign_up(server)
        assert "Purchases are disabled" in web.client.get("/credits").text
        assert web.post("/credits/buy", "/credits", pack="100").status_code == 400
        assert httpx.post(server.url + "/webhooks/stripe", content=b"{}").status_code == 404
        assert _transactions(server, web) == []
