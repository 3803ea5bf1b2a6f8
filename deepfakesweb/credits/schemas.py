"""Wire shapes of the seed's credit objects, keys in the seed's order."""

from __future__ import annotations

from typing import Any

from deepfakesweb.api.wire import format_time, null_string
from deepfakesweb.credits.models import Transaction

__all__ = ["transaction_to_wire", "TRANSACTION_EXAMPLE", "BALANCE_EXAMPLE"]


def transaction_to_wire(transaction: Transaction) -> dict[str, Any]:
    return {
        "id": transaction.id,
        "user_id": transaction.user_id,
        "amount": transaction.amount,
        "credits_purchased": transaction.credits_purchased,
        "payment_method": transaction.payment_method,
        "payment_status": transaction.payment_status,
        "payment_id": null_string(transaction.payment_id),
        "billing_email": null_string(transaction.billing_email),
        "promotion_code": null_string(transaction.promotion_code),
        "promotion_amount": transaction.promotion_amount,
        "ga_client_id": null_string(transaction.ga_client_id),
        "ga_session_id": null_string(transaction.ga_session_id),
        "created_at": format_time(transaction.created_at),
        "updated_at": format_time(transaction.updated_at),
    }


_EMPTY = {"String": "", "Valid": False}
TRANSACTION_EXAMPLE = {
    "id": 32, "user_id": 10, "amount": 700, "credits_purchased": 100, "payment_method": "stripe",
    "payment_status": "completed",
    "payment_id": {"String": "cs_test_a1dpEwTkU5E3iD4gqJJDY9ffaltM6ALmy9m9CVKSqvbaaWNXCO3tIngjys", "Valid": True},
    "billing_email": _EMPTY, "promotion_code": _EMPTY, "promotion_amount": 0,
    "ga_client_id": _EMPTY, "ga_session_id": _EMPTY,
    "created_at": "2025-03-28T03:40:54.00641Z", "updated_at": "2025-03-28T03:41:04.203093Z",
}
BALANCE_EXAMPLE = {"data": {"credits": 93}, "message": "Credit balance retrieved successfully"}
