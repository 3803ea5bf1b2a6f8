from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from deepfakesweb.api.deps import CurrentUser, SessionDep
from deepfakesweb.api.docs import example
from deepfakesweb.credits import service
from deepfakesweb.credits.schemas import BALANCE_EXAMPLE, TRANSACTION_EXAMPLE, transaction_to_wire

router = APIRouter(tags=["credits"])


@router.get("/credit-balance", summary="Get your current credit balance", responses=example(BALANCE_EXAMPLE))
def get_credit_balance(session: SessionDep, user: CurrentUser) -> JSONResponse:
    credits = service.balance(session, user.user_id)
    return JSONResponse({"data": {"credits": credits}, "message": "Credit balance retrieved successfully"})


@router.get("/transactions", summary="List your transaction history", responses=example(
    {"data": [TRANSACTION_EXAMPLE], "message": "Transactions retrieved successfully"}))
def list_transactions(session: SessionDep, user: CurrentUser) -> JSONResponse:
    data = [transaction_to_wire(t) for t in service.list_transactions(session, user.user_id)]
    return JSONResponse({"data": data, "message": "Transactions retrieved successfully"})
