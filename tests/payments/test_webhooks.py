from __future__ import annotations

import json

import httpx
import stripe

from deepfakesweb.credits.models import EntryKind, LedgerEntry
from deepfakesweb.payments.models import StripeEvent
from tests.factories import Server
from tests.payments.factories import (
    WEBHOOK_SECRET,
    StripeRecorder,
    completed_session,
    deliver,
    event,
    refunded_charge,
)
from tests.web.factories import WebAccount, sign_up


class Buyer:
    """A signed-up user with an API key and one pending Checkout purchase of 100 credits for $7.00."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.web: WebAccount = sign_up(server)
        self.key = self.web.create_key()
        response = self.web.post("/credits/buy", "/credits", pack="100")
        assert response.status_code == 303
        self.session_id = response.headers["location"].rsplit("/", 1)[-1]

    def get(self, path: str) -> dict:  # type: ignore[type-arg]
        return httpx.get(self.server.url + path, headers={"X-API-Key": self.key}).json()  # type: ignore[no-any-return]

    @property
    def balance(self) -> int:
        return int(self.get("/v1/credit-balance")["data"]["credits"])

    @property
    def purchase(self) -> dict:  # type: ignore[type-arg]
        return next(t for t in self.get("/v1/transactions")["data"]
                    if t["payment_id"]["String"] == self.session_id)

    def send(self, kind: str, obj: dict, event_id: str | None = None) -> httpx.Response:  # type: ignore[type-arg]
        return deliver(self.server.url, event(kind, obj, event_id))


def _outcome(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return str(response.json()["data"]["outcome"])


def test_a_completed_checkout_credits_once_with_every_detail(server: Server) -> None:
    buyer = Buyer(server)
    assert _outcome(buyer.send("checkout.session.completed", completed_session(buyer.session_id))) == "completed"
    assert buyer.balance == 100
    purchase = buyer.purchase
    assert (purchase["payment_status"], purchase["payment_method"], purchase["amount"]) == ("completed", "stripe", 630)
    assert purchase["billing_email"] == {"String": "buyer@example.com", "Valid": True}
    assert purchase["promotion_code"] == {"String": "promo_SPRING", "Valid": True}
    assert purchase["promotion_amount"] == 70 and purchase["credits_purchased"] == 100
    assert purchase["ga_session_id"] == {"String": "1700000000", "Valid": True}
    assert list(purchase) == ["id", "user_id", "amount", "credits_purchased", "payment_method", "payment_status",
                              "payment_id", "billing_email", "promotion_code", "promotion_amount", "ga_client_id",
                              "ga_session_id", "created_at", "updated_at"]


def test_redeliveries_and_new_events_for_the_same_session_credit_nothing_more(server: Server) -> None:
    buyer = Buyer(server)
    body = event("checkout.session.completed", completed_session(buyer.session_id))
    assert _outcome(deliver(server.url, body)) == "completed"
    for _ in range(3):
        assert _outcome(deliver(server.url, body)) == "duplicate"
    again = buyer.send("checkout.session.completed", completed_session(buyer.session_id))  # a new event id
    assert _outcome(again) == "already completed"
    assert _outcome(buyer.send("checkout.session.async_payment_succeeded",
                               completed_session(buyer.session_id))) == "already completed"
    assert buyer.balance == 100
    with server.runtime.db.unit_of_work() as session:
        entries = session.query(LedgerEntry).filter_by(kind=EntryKind.purchase).all()
        assert len([e for e in entries if e.user_id == buyer.purchase["user_id"]]) == 1


def test_an_async_payment_completes_whatever_the_order(server: Server) -> None:
    buyer = Buyer(server)
    unpaid = completed_session(buyer.session_id, payment_status="unpaid")
    assert _outcome(buyer.send("checkout.session.async_payment_succeeded", completed_session(buyer.session_id))) \
        == "completed"
    assert _outcome(buyer.send("checkout.session.completed", unpaid)) == "awaiting asynchronous payment"
    assert (buyer.balance, buyer.purchase["payment_status"]) == (100, "completed")

    later = Buyer(server)
    assert _outcome(later.send("checkout.session.completed", completed_session(later.session_id, "unpaid"))) \
        == "awaiting asynchronous payment"
    assert (later.balance, later.purchase["payment_status"]) == (0, "pending")
    assert _outcome(later.send("checkout.session.async_payment_failed", completed_session(later.session_id))) \
        == "failed"
    assert (later.balance, later.purchase["payment_status"]) == (0, "failed")


def test_a_refund_takes_the_credits_back_but_never_below_zero(server: Server) -> None:
    buyer = Buyer(server)
    buyer.send("checkout.session.completed", completed_session(buyer.session_id))
    with server.runtime.db.unit_of_work() as session:  # 70 of the 100 credits already spent
        session.add(LedgerEntry(user_id=buyer.purchase["user_id"], delta=-70, kind=EntryKind.adjustment,
                                reason="spent"))
    refund = refunded_charge(f"pi_{buyer.session_id}")
    assert _outcome(buyer.send("charge.refunded", refund)) == "refunded, 30 credits taken back"
    assert (buyer.balance, buyer.purchase["payment_status"]) == (0, "refunded")
    assert _outcome(buyer.send("charge.refunded", refund)) == "refunded, 0 credits taken back"
    assert buyer.balance == 0


def test_a_partial_refund_is_not_applied(server: Server) -> None:
    buyer = Buyer(server)
    buyer.send("checkout.session.completed", completed_session(buyer.session_id))
    outcome = _outcome(buyer.send("charge.refunded", refunded_charge(f"pi_{buyer.session_id}", full=False)))
    assert outcome == "partial refund not applied" and buyer.balance == 100


def test_a_refund_that_overtakes_the_completion_is_found_through_stripe(server: Server,
                                                                        recorder: StripeRecorder) -> None:
    buyer = Buyer(server)
    recorder.intents["pi_early"] = buyer.session_id  # only Stripe knows which session the charge paid
    assert _outcome(buyer.send("charge.refunded", refunded_charge("pi_early"))) == "refunded, 0 credits taken back"
    assert recorder.requests[-1].method == "GET" and recorder.requests[-1].path == "/v1/checkout/sessions"
    late = completed_session(buyer.session_id, payment_intent="pi_early")
    assert _outcome(buyer.send("checkout.session.completed", late)) == "already refunded"
    assert (buyer.balance, buyer.purchase["payment_status"]) == (0, "refunded")


def test_a_bad_signature_is_a_400_and_changes_nothing(server: Server) -> None:
    buyer = Buyer(server)
    body = event("checkout.session.completed", completed_session(buyer.session_id))
    wrong_secret = deliver(server.url, body, secret="whsec_someone_else")
    missing = deliver(server.url, body, signature="")
    garbage = deliver(server.url, body, signature="t=1,v1=deadbeef")
    for response in (wrong_secret, missing, garbage):
        assert (response.status_code, response.json()) == (400, {"data": None,
                                                                  "message": "Invalid request: bad signature"})
    with server.runtime.db.unit_of_work() as session:
        assert session.query(StripeEvent).filter_by(event_id=body["id"]).count() == 0
    assert (buyer.balance, buyer.purchase["payment_status"]) == (0, "pending")
    assert _outcome(deliver(server.url, body)) == "completed"  # the genuine delivery still works afterwards


def test_a_tampered_payload_is_refused(server: Server) -> None:
    buyer = Buyer(server)
    body = event("checkout.session.completed", completed_session(buyer.session_id))
    header = stripe.WebhookSignature.generate_signature_header(json.dumps(body), WEBHOOK_SECRET)
    body["data"]["object"]["amount_total"] = 1
    assert deliver(server.url, body, signature=header).status_code == 400
    assert buyer.balance == 0


def test_unknown_event_types_and_foreign_sessions_are_acknowledged_and_ignored(server: Server) -> None:
    buyer = Buyer(server)
    assert _outcome(buyer.send("customer.created", {"id": "cus_1", "object": "customer"})) == "ignored"
    assert _outcome(buyer.send("checkout.session.completed", completed_session("cs_not_ours"))) == "ignored"
    assert buyer.balance == 0
