"""The service layer's exception tree; the HTTP layer maps each to a status and the seed's envelope."""

from __future__ import annotations

__all__ = [
    "ServiceError", "UserInputError", "NotFound", "Conflict", "InsufficientCredits",
    "TooManyActive", "Unprocessable", "PayloadTooLarge",
]


class ServiceError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UserInputError(ServiceError):
    """Malformed input (400)."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    pass


class InsufficientCredits(ServiceError):
    pass


class TooManyActive(ServiceError):
    pass


class Unprocessable(ServiceError):
    """Well-formed content that cannot be processed (422); message is the full client text."""


class PayloadTooLarge(ServiceError):
    pass
