"""The caseload REST API (/api/v1/caseload/), one module per resource; this one holds what they
share: pagination, scoping and the base viewsets. Views are thin: scope, validate, call a service.

Every queryset starts from the residents the caller may see
(:func:`apiauth.selectors.api_resident_scope`): ``Resident.objects.visible_to(user)`` for people,
the service account's municipality for connected systems. Token requests also need the scope
``caseload:read`` or ``caseload:write`` (``apiauth.permissions.TokenHasScope``).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from urllib import parse

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from apiauth.idempotency import IdempotentCreateMixin
from apiauth.selectors import api_resident_scope, request_token
from caseload import selectors
from caseload.models import District, Instrument, Municipality, Resident
from caseload.permissions import CaseloadPermission
from privacy.api import ProcessingLoggedMixin

_CURSOR_OFFSET = re.compile(r"[0-9]{1,4}")


class CaseloadCursorPagination(CursorPagination):
    """Cursor pagination: no COUNT over the table, stable under inserts.

    A cursor is decoded strictly (issue 12, finding 10): only the keys, offsets and positions
    this class itself writes; anything else, such as a position that is no value of the
    ordering field, answers 404 "Ongeldige cursor" instead of reaching the query."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"
    page_size_query_description = "Aantal resultaten per pagina (standaard 50, hoogstens 500)."
    cursor_query_description = "Cursor uit 'next' of 'previous' van het vorige antwoord."

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        invalid = exceptions.NotFound(self.invalid_cursor_message)
        try:
            text = base64.b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
            tokens = parse.parse_qs(text, keep_blank_values=True, errors="strict")
        except (UnicodeError, ValueError, binascii.Error):
            raise invalid from None
        if set(tokens) - {"o", "r", "p"} or any(len(v) != 1 for v in tokens.values()):
            raise invalid
        offset = tokens.get("o", ["0"])[0]
        reverse = tokens.get("r", ["0"])[0]
        position = tokens.get("p", [None])[0]
        if not _CURSOR_OFFSET.fullmatch(offset) or int(offset) > self.offset_cutoff:
            raise invalid
        if reverse not in ("0", "1") or not self._is_position(position):
            raise invalid
        return Cursor(offset=int(offset), reverse=reverse == "1", position=position)

    def _is_position(self, position: str | None) -> bool:
        """A value of the first ordering field, as ``_get_position_from_instance`` writes it."""
        if position is None:
            return True
        if "\x00" in position:
            return False
        try:
            field = self._model._meta.get_field(self.ordering[0].lstrip("-"))
            field.run_validators(field.to_python(position))
        except (FieldDoesNotExist, ValidationError, ValueError, TypeError, OverflowError):
            return False
        return True

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "URL van de volgende pagina, of null.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "URL van de vorige pagina, of null.",
                },
                "results": {**schema, "description": "De resultaten op deze pagina."},
            },
        }


# --------------------------------------------------------------------------------------------
# Scoping
# --------------------------------------------------------------------------------------------


def connected_system(request):
    """The service account behind a token request (a connected system), else None."""
    if request_token(request) is None:
        return None
    return getattr(request.user, "service_account", None)


def caller_municipalities(request) -> QuerySet[Municipality]:
    """Municipalities in which the caller may create records."""
    token = request_token(request)
    service_account = connected_system(request)
    if service_account is not None:
        qs = Municipality.objects.filter(pk=service_account.municipality_id)
    else:
        qs = selectors.municipalities_of(user=request.user)
    if token is not None and token.municipality_id is not None:
        qs = qs.filter(pk=token.municipality_id)
    return qs


def check_field_permissions(request, *, serializer_class, current: Mapping) -> None:
    """The UI's permissions per field (issue 12, finding 4): a person who sends a new value
    for a field whose permission they lack (``serializer_class.field_permissions``) gets 403
    naming the field, before the value is looked at. Repeating the current value is no change.
    Connected systems are bound by their token's scope and municipality instead."""
    data = request.data
    if not isinstance(data, Mapping) or connected_system(request) is not None:
        return
    denied = {}
    for field, (permission, message) in serializer_class.field_permissions.items():
        if field not in data or request.user.has_perm(permission):
            continue
        sent, stored = data[field], current.get(field)
        if (None if sent in (None, "") else str(sent)) != (None if stored is None else str(stored)):
            denied[field] = message
    if denied:
        raise exceptions.PermissionDenied(detail=denied, code="permission")


class CaseloadViewSet(ProcessingLoggedMixin, viewsets.GenericViewSet):
    # every served request is logged (privacy.api); viewsets with resident data name their type
    api_scope_group = "caseload"
    pagination_class = CaseloadCursorPagination
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["id"]
    ordering = ["-id"]
    # any path segment reaches the view, so a malformed id is a JSON 404, not an HTML page
    lookup_value_regex = "[^/]+"
    #: serializer per action; "default" for the rest
    serializers: dict = {}

    def get_serializer_class(self):
        return self.serializers.get(self.action, self.serializers["default"])

    def residents(self) -> QuerySet[Resident]:
        return api_resident_scope(user=self.request.user, token=request_token(self.request))

    def check_permissions(self, request):
        """Besides the token scope: a person's write needs ``caseload.change_dossier``, as the
        case forms do (issue 12, finding 4)."""
        super().check_permissions(request)
        if request.method in SAFE_METHODS or connected_system(request) is not None:
            return
        if getattr(self, "action", None) in getattr(self, "api_read_actions", ()):
            return
        if not request.user.has_perm(CaseloadPermission.CHANGE_DOSSIER):
            self.permission_denied(
                request, message=_("U mag geen dossiers wijzigen."), code="permission"
            )

    def get_serializer_context(self):
        """``scopes``: the querysets every referenced id is resolved against (issue 12, finding
        3). An id outside them answers like a nonexistent one (400 "bestaat niet")."""
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        request = self.request
        municipalities = lambda: caller_municipalities(request)  # noqa: E731
        teams = lambda: selectors.write_scope_teams(  # noqa: E731
            user=request.user,
            municipalities=municipalities(),
            connected_system=connected_system(request) is not None,
        )
        context["scopes"] = {
            "residents": self.residents,
            "municipalities": municipalities,
            "districts": lambda: District.objects.filter(municipality__in=municipalities()),
            "teams": teams,
            "consulenten": lambda: selectors.write_scope_consulenten(teams=teams()),
            "households_writable": lambda: selectors.write_scope_households(
                residents=self.residents(), municipalities=municipalities()
            ),
            "instruments": lambda: Instrument.objects.all(),
        }
        return context


class ServiceCreateMixin:
    """POST: validate with the action's serializer (which calls the service), answer with the
    read serializer (``serializers["default"]``) and 201."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.reload(serializer.save())
        read_serializer = self.serializers["default"]
        return Response(
            read_serializer(instance, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def reload(self, instance):
        return instance


class ResidentChildViewSet(
    IdempotentCreateMixin,
    ServiceCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CaseloadViewSet,
):
    """Records that belong to a resident: visible when the resident is."""

    model = None

    @property
    def privacy_object_type(self) -> str:
        return self.model._meta.model_name

    def get_queryset(self):
        return self.model.objects.filter(resident__in=self.residents())
