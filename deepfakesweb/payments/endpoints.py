"""POST /webhooks/stripe: Stripe's signed event deliveries (no API key, no session, no CSRF)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from deepfakesweb.api.deps import RuntimeDep
from deepfakesweb.api.errors import envelope
from deepfakesweb.payments import service

router = APIRouter(tags=["payments"], include_in_schema=False)

MAX_PAYLOAD = 512 * 1024


@router.post("/webhooks/stripe")
async def stripe_webhook(request: Request, runtime: RuntimeDep) -> JSONResponse:
    settings = runtime.settings
    if not service.purchases_enabled(settings):
        return envelope(404, "Not found")
    payload = await request.body()
    if len(payload) > MAX_PAYLOAD:
        return envelope(413, "File too large: payload")
    signature = request.headers.get("stripe-signature", "")
    try:
        outcome = await run_in_threadpool(service.handle_webhook, runtime.db, settings, payload, signature)
    except service.BadSignature:
        return envelope(400, "Invalid request: bad signature")
    except service.PaymentProviderError:
        return envelope(503, "Payment provider unavailable")  # Stripe retries later
    return envelope(200, "Event received", {"outcome": outcome})
