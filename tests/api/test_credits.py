from __future__ import annotations

from deepfakesweb.credits.service import Grant, grant
from tests.factories import Server, make_account

TRANSACTION_KEYS = [
    "id",
    "user_id",
    "amount",
    "credits_purchased",
    "payment_method",
    "payment_status",
    "payment_id",
    "billing_email",
    "promotion_code",
    "promotion_amount",
    "ga_client_id",
    "ga_session_id",
    "created_at",
    "updated_at",
]


def test_credit_balance_has_the_seed_shape(server: Server) -> None:
    account = make_account(server.runtime, credits=93)
    response = server.client(account.key).get("/v1/credit-balance")
    assert response.status_code == 200
    assert response.text == '{"data":{"credits":93},"message":"Credit balance retrieved successfully"}'


def test_transactions_list_newest_first_in_the_seed_shape(server: Server) -> None:
    account = make_account(server.runtime, credits=0)
    with server.runtime.db.unit_of_work() as session:
        grant(
            session,
            account.user_id,
            Grant(
                credits=100, amount_cents=700, method="stripe", payment_id="cs_test_1", billing_email="a@example.com"
            ),
        )
        grant(session, account.user_id, Grant(credits=5))
    body = server.client(account.key).get("/v1/transactions").json()
    assert list(body) == ["data", "message"]
    assert body["message"] == "Transactions retrieved successfully"
    newest, oldest = body["data"]
    assert list(oldest) == TRANSACTION_KEYS
    assert oldest["amount"] == 700 and oldest["credits_purchased"] == 100
    assert oldest["payment_method"] == "stripe" and oldest["payment_status"] == "completed"
    assert oldest["payment_id"] == {"String": "cs_test_1", "Valid": True}
    assert oldest["billing_email"] == {"String": "a@example.com", "Valid": True}
    assert oldest["promotion_code"] == {"String": "", "Valid": False}
    assert oldest["created_at"].endswith("Z")
    assert newest["credits_purchased"] == 5 and newest["payment_id"] == {"String": "", "Valid": False}


def test_transactions_of_other_users_are_not_listed(server: Server) -> None:
    alice, bob = make_account(server.runtime, credits=10), make_account(server.runtime, credits=0)
    assert server.client(bob.key).get("/v1/transactions").json()["data"] == []
    assert len(server.client(alice.key).get("/v1/transactions").json()["data"]) == 1
