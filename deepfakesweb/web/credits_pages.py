"""Credits page: balance, packs bought through Stripe Checkout, the transaction history."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from deepfakesweb.api.deps import RuntimeDep, SessionDep
from deepfakesweb.credits import service as credits
from deepfakesweb.credits.schemas import transaction_to_wire
from deepfakesweb.errors import ServiceError
from deepfakesweb.payments import service as payments
from deepfakesweb.payments.packs import parse_packs
from deepfakesweb.web import security
from deepfakesweb.web.deps import CsrfField, WebUser, describe_error, render, verify_csrf

router = APIRouter(include_in_schema=False)

NOTICES = {"success": "Thank you! Your credits appear here as soon as Stripe confirms the payment.",
           "cancelled": "The purchase was cancelled; nothing was charged."}


def _page(request: Request, runtime: RuntimeDep, session: SessionDep, user_id: int, status: int = 200,
          **extra: object) -> Response:
    transactions = [transaction_to_wire(t) for t in credits.list_transactions(session, user_id)]
    return render(request, runtime, "credits.html", {
        "balance": credits.balance(session, user_id), "packs": parse_packs(runtime.settings.credit_packs),
        "enabled": payments.purchases_enabled(runtime.settings), "transactions": transactions,
        "transactions_json": json.dumps({"data": transactions, "message": "Transactions retrieved successfully"},
                                        indent=2),
        "notice": NOTICES.get(request.query_params.get("purchase", "")), **extra}, status)


@router.get("/credits")
def credits_page(request: Request, runtime: RuntimeDep, session: SessionDep, user: WebUser) -> Response:
    return _page(request, runtime, session, user.user_id)


@router.post("/credits/buy")
def buy(request: Request, runtime: RuntimeDep, session: SessionDep, user: WebUser, csrf: CsrfField = "",
        pack: Annotated[str, Form(max_length=40)] = "") -> Response:
    verify_csrf(request, runtime, csrf)
    base = runtime.settings.public_url.rstrip("/")
    order = payments.Order(
        user_id=user.user_id, email=user.email, pack_id=pack, tracking=security.ga_tracking(request.cookies),
        success_url=f"{base}/credits?purchase=success", cancel_url=f"{base}/credits?purchase=cancelled")
    try:
        url = payments.start_checkout(session, runtime.settings, order)
    except ServiceError as exc:
        status, message = describe_error(exc)
        return _page(request, runtime, session, user.user_id, status, error=message)
    return RedirectResponse(url, status_code=303)
