"""REST framework glue shared by the apps' APIs."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.exceptions import DomainError

#: Deeper JSON than this is refused (400): no request of this API nests more than a few levels,
#: and Python's parser would otherwise raise RecursionError (a 500) at about 1,000.
JSON_MAX_DEPTH = 64


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = _("Het verzoek is te groot om te verwerken.")


class TooDeeplyNested(ParseError):
    default_code = "parse_error"
    default_detail = _("De JSON is te diep genest.")


def json_too_deep(data, limit: int = JSON_MAX_DEPTH) -> bool:
    """True when lists and objects in ``data`` nest deeper than ``limit`` (iterative)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with limits (the default parser, ``REST_FRAMEWORK`` in settings).

    * reads at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (Django enforces it for forms only;
      DRF reads the JSON stream whole): more is a 413;
    * nesting deeper than ``JSON_MAX_DEPTH``, and the ``RecursionError`` Python's parser raises
      at about 1,000 levels, are a 400 instead of a 500.
    """

    max_depth = JSON_MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            raise TooDeeplyNested from None
        if json_too_deep(data, self.max_depth):
            raise TooDeeplyNested
        return data


def exception_handler(exc, context):
    """Structured errors: ``{"errors": [{"code", "message", "field"}]}``; domain errors are 400.

    Also the safety net for bad input that reaches past the parsers: a too-large body is a 413,
    a body too deeply nested for Python's parser and Django's other refusals of a suspicious
    request are a 400, never a 500."""
    if isinstance(exc, DomainError):
        return Response({"errors": [exc.as_dict()]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, RecursionError):
        exc = TooDeeplyNested()
    elif isinstance(exc, SuspiciousOperation):
        exc = ParseError(_("Het verzoek bevat een waarde die niet klopt."))
    elif isinstance(exc, Http404):
        # Django's own text names the model in English ("No Resident matches the given
        # query."; the walk of 4 December); the pages say "Niet gevonden." too
        exc = NotFound(_("Niet gevonden."))
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
