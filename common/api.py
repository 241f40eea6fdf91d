"""REST framework glue shared by the apps' APIs."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.exceptions import DomainError


def exception_handler(exc, context):
    """Structured errors: ``{"errors": [{"code", "message", "field"}]}``; domain errors are 400."""
    if isinstance(exc, DomainError):
        return Response({"errors": [exc.as_dict()]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        errors = []
        for field, messages in exc.message_dict.items() if hasattr(exc, "error_dict") else []:
            for message in messages:
                errors.append({"code": "invalid", "message": message, "field": field})
        if not errors:
            errors = [{"code": "invalid", "message": m, "field": None} for m in exc.messages]
        return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = {"errors": _flatten(response.data, getattr(exc, "default_code", "error"))}
    return response


def _flatten(data, default_code: str, field: str | None = None) -> list[dict]:
    if isinstance(data, dict):
        if set(data) == {"detail"}:
            detail = data["detail"]
            return [
                {
                    "code": getattr(detail, "code", default_code),
                    "message": str(detail),
                    "field": field,
                }
            ]
        out: list[dict] = []
        for key, value in data.items():
            name = key if key != "non_field_errors" else None
            out.extend(_flatten(value, default_code, f"{field}.{name}" if field and name else name))
        return out
    if isinstance(data, list):
        out = []
        for item in data:
            out.extend(_flatten(item, default_code, field))
        return out
    return [{"code": getattr(data, "code", default_code), "message": str(data), "field": field}]
