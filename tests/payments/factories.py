"""Stripe test doubles made of real parts: a local HTTP server the `stripe` library talks to, and
webhook deliveries signed with the library's own signing scheme."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import stripe

WEBHOOK_SECRET = "whsec_test_secret_for_dfw"
SECRET_KEY = "sk_test_dfw_local"
_events = iter(range(1, 1_000_000))


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]


@dataclass
class StripeRecorder:
    """Answers like Stripe's API for Checkout Sessions and records every request the library sends."""

    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    intents: dict[str, str] = field(default_factory=dict)  # payment_intent -> checkout session id
    fail: bool = False

    def answer(self, method: str, path: str, form: dict[str, str], query: dict[str, str]) -> tuple[int, Any]:
        if self.fail:
            return 500, {"error": {"type": "api_error", "message": "Stripe is down (test)"}}
        if method == "POST" and path == "/v1/checkout/sessions":
            session_id = f"cs_test_{len(self.requests)}_{time.monotonic_ns()}"
            return 200, {"id": session_id, "object": "checkout.session", "mode": "payment",
                         "url": f"https://checkout.stripe.test/c/pay/{session_id}", "payment_status": "unpaid",
                         "client_reference_id": form.get("client_reference_id"), "status": "open"}
        if method == "GET" and path == "/v1/checkout/sessions":
            found = self.intents.get(query.get("payment_intent", ""))
            data = [{"id": found, "object": "checkout.session"}] if found else []
            return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/checkout/sessions"}
        return 404, {"error": {"type": "invalid_request_error", "message": "unknown route"}}


@contextmanager
def stripe_recorder() -> Iterator[StripeRecorder]:
    recorder = StripeRecorder()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode())) if length else {}
            recorder.requests.append(Recorded(self.command, parts.path, dict(self.headers), form))
            status, body = recorder.answer(self.command, parts.path, form, dict(parse_qsl(parts.query)))
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _handle

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()


def stripe_settings(recorder: StripeRecorder) -> dict[str, Any]:
    return {"stripe_secret_key": SECRET_KEY, "stripe_webhook_secret": WEBHOOK_SECRET,
            "stripe_api_base": recorder.url, "credit_packs": "100:700,500:3000"}


def event(kind: str, obj: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {"id": event_id or f"evt_test_{next(_events)}_{time.monotonic_ns()}", "object": "event",
            "type": kind, "api_version": "2025-03-31.basil", "created": int(time.time()), "livemode": False,
            "data": {"object": obj}}


def completed_session(session_id: str, payment_status: str = "paid", **extra: Any) -> dict[str, Any]:
    return {"id": session_id, "object": "checkout.session", "mode": "payment", "payment_status": payment_status,
            "status": "complete", "amount_total": 630, "currency": "usd", "payment_intent": f"pi_{session_id}",
            "customer_details": {"email": "buyer@example.com"},
            "total_details": {"amount_discount": 70, "amount_shipping": 0, "amount_tax": 0},
            "discounts": [{"coupon": "co_10", "promotion_code": "promo_SPRING"}],
            "metadata": {"pack": "100", "ga_client_id": "1234.5678", "ga_session_id": "1700000000"}, **extra}


def refunded_charge(payment_intent: str, full: bool = True) -> dict[str, Any]:
    return {"id": f"ch_{payment_intent}", "object": "charge", "payment_intent": payment_intent, "amount": 630,
            "amount_refunded": 630 if full else 100, "refunded": full}


def deliver(server_url: str, body: dict[str, Any], secret: str = WEBHOOK_SECRET,
            signature: str | None = None) -> httpx.Response:
    """POSTs the event as Stripe does: the raw JSON body and a `Stripe-Signature: t=...,v1=...` header."""
    payload = json.dumps(body)
    header = signature if signature is not None else stripe.WebhookSignature.generate_signature_header(
        payload, secret)
    return httpx.post(server_url + "/webhooks/stripe", content=payload,
                      headers={"Stripe-Signature": header, "Content-Type": "application/json"})
