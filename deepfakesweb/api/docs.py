"""OpenAPI fragments: the seed's examples, and the multipart body declared by hand (it is parsed by stream)."""

from __future__ import annotations

from typing import Any

__all__ = ["example", "error_examples", "UPLOAD_BODY"]


def example(body: dict[str, Any], description: str = "Success") -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {"application/json": {"example": body}}}}


def error_examples(*pairs: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    return {status: {"description": message, "content": {"application/json": {
        "example": {"data": None, "message": message}}}} for status, message in pairs}


UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "required": ["image", "video"],
            "properties": {
                "image": {"type": "string", "format": "binary", "description": "The source face image"},
                "video": {"type": "string", "format": "binary",
                          "description": "The target video to apply the face to"},
                "multiple_faces": {"type": "boolean", "default": False,
                                   "description": "Swap every face instead of the most prominent one"},
                "mouth_mask": {"type": "boolean", "default": False,
                               "description": "Keep the target's own mouth (natural speech)"},
            },
        }}},
    },
    "parameters": [{
        "name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string"},
        "description": "Retry safely: the same key within 24 h returns the first response and charges once",
    }],
}
