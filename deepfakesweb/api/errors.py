"""Every error leaves as the seed's envelope `{"data": null, "message": ...}`, never FastAPI's default shape."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from deepfakesweb import errors

__all__ = ["ApiError", "envelope", "install_error_handlers"]

log = logging.getLogger("deepfakesweb.api")


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def envelope(status: int, message: str, data: object = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"data": data, "message": message}, status_code=status, headers=headers)


def _from_service(exc: errors.ServiceError) -> ApiError:
    match exc:
        case errors.UserInputError():
            return ApiError(400, f"Invalid request: {exc.message}")
        case errors.NotFound():
            return ApiError(404, exc.message)
        case errors.InsufficientCredits():
            return ApiError(402, "Insufficient credits")
        case errors.PayloadTooLarge():
            return ApiError(413, f"File too large: {exc.message}")
        case errors.TooManyActive():
            return ApiError(429, "Too many videos in progress", {"Retry-After": "30"})
        case errors.Unprocessable():
            return ApiError(422, exc.message)
        case errors.Conflict():
            return ApiError(409, exc.message)
    return ApiError(500, "Internal server error")


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        location = ".".join(str(p) for p in error.get("loc", ())[1:]) or "request"
        parts.append(f"{location}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "malformed request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return envelope(exc.status, exc.message, headers=exc.headers)

    @app.exception_handler(errors.ServiceError)
    async def _service_error(_: Request, exc: errors.ServiceError) -> JSONResponse:
        mapped = _from_service(exc)
        return envelope(mapped.status, mapped.message, headers=mapped.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return envelope(400, f"Invalid request: {_validation_detail(exc)}")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "Not found", 405: "Method not allowed"}
        message = messages.get(exc.status_code, str(exc.detail))
        return envelope(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return envelope(500, "Internal server error")
