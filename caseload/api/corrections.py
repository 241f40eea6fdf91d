"""Correct or withdraw a recorded fact through the API (issue 14), one pair of actions per
resource (trajectories, outflow events, contact moments, ladder scores, group assignments):

``POST /<resource>/{id}/correct/`` with ``{"reason", "changes"}`` and ``If-Match`` (the ETag of
the last GET) answers the corrected resource with its new ETag; ``POST /<resource>/{id}/withdraw/``
with ``{"reason"}`` and ``If-Match`` answers the correction record (the fact is gone: a GET is
404 afterwards). A repeat does nothing twice: a correction's ETag is stale (412), a withdrawn
fact is gone (404), so no Idempotency-Key is needed. People with ``caseload.correct_facts`` for
their own team's residents only; connected systems (API keys) correct nothing (403). The rules
are the services' (``caseload.corrections``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from apiauth.idempotency import check_if_match, etag_for
from apiauth.schema import ErrorResponseSerializer
from caseload.corrections import fact_kind
from caseload.models import Correction
from caseload.permissions import CaseloadPermission
from caseload.serializers import corrections as serializers
from common.exceptions import DomainError

from .base import connected_system

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="De ETag uit het laatste GET-antwoord op dit gegeven.",
)
ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=["200"],
    description="De nieuwe versie van het gegeven; stuur mee als If-Match bij een volgende wijziging.",
)
ERRORS = {
    400: OpenApiResponse(
        ErrorResponseSerializer, description="Reden ontbreekt of regel geweigerd."
    ),
    412: OpenApiResponse(ErrorResponseSerializer, description="De If-Match-ETag is verouderd."),
    428: OpenApiResponse(ErrorResponseSerializer, description="De If-Match-header ontbreekt."),
}


def correction_schema(*, label: str, changes_serializer, resource_serializer):
    """The two actions' schema for one resource (``extend_schema_view`` entries)."""
    request = serializers.correct_request_serializer(changes_serializer)
    return {
        "correct": extend_schema(
            summary=f"{label} corrigeren",
            description="Corrigeert het gegeven met een reden; de oude waarden blijven in de "
            "geschiedenis. Vereist If-Match (ETag).",
            parameters=[IF_MATCH, ETAG],
            request=request,
            responses={200: resource_serializer, **ERRORS},
        ),
        "withdraw": extend_schema(
            summary=f"{label} intrekken",
            description="Trekt een per vergissing vastgelegd gegeven in, met een reden; het telt "
            "nergens meer mee en blijft in de geschiedenis. Vereist If-Match (ETag).",
            parameters=[IF_MATCH],
            request=serializers.WithdrawRequestSerializer,
            responses={200: serializers.CorrectionSerializer, **ERRORS},
        ),
    }


def _reason_field(exc: DomainError) -> DomainError:
    """The API's body names the reason ``reason`` (the form's ``correction_reason``)."""
    if exc.field == "correction_reason":
        return DomainError(exc.message, code=exc.code, field="reason")
    if exc.field is not None:
        return DomainError(exc.message, code=exc.code, field=f"changes.{exc.field}")
    return exc


class CorrectionActionsMixin:
    """``correct`` and ``withdraw`` for a ``ResidentChildViewSet`` (``fact_type``: the
    ``Correction.FactType``; ``changes_serializer``: the correctable fields)."""

    fact_type: str = ""
    changes_serializer = None
    #: a GET of the fact gives the ETag the two actions want in If-Match
    etag_actions: tuple[str, ...] = ("retrieve",)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(response.data)
        return response

    def _check_correction_permission(self, request) -> None:
        if connected_system(request) is not None or not request.user.has_perm(
            CaseloadPermission.CORRECT_FACTS
        ):
            self.permission_denied(
                request,
                message=_("U mag geen gegevens corrigeren of intrekken."),
                code="permission",
            )

    def _locked_fact(self, request):
        fact = self.get_object()
        fact = type(fact).objects.select_for_update().get(pk=fact.pk)
        check_if_match(request, etag_for(self.serializers["default"](fact).data))
        return fact

    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        self._check_correction_permission(request)
        request.data  # noqa: B018 - parse the body first: a malformed one is a 400 before anything
        kind = fact_kind(self.fact_type)
        with transaction.atomic():
            fact = self._locked_fact(request)
            body = serializers.correct_request_serializer(self.changes_serializer)(
                data=request.data, context=self.get_serializer_context()
            )
            body.is_valid(raise_exception=True)
            try:
                kind.correct(
                    fact=fact,
                    by=request.user,
                    reason=body.validated_data["reason"],
                    changes=body.validated_data["changes"],
                )
            except DomainError as exc:
                raise _reason_field(exc) from None
            fact.refresh_from_db()
            data = self.serializers["default"](fact).data
        response = Response(data)
        response["ETag"] = etag_for(data)
        return response

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        self._check_correction_permission(request)
        request.data  # noqa: B018 - parse the body first: a malformed one is a 400 before anything
        kind = fact_kind(self.fact_type)
        with transaction.atomic():
            fact = self._locked_fact(request)
            body = serializers.WithdrawRequestSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            fact_id = fact.pk
            try:
                kind.withdraw(fact=fact, by=request.user, reason=body.validated_data["reason"])
            except DomainError as exc:
                raise _reason_field(exc) from None
            correction = (
                Correction.objects.filter(fact_type=self.fact_type, fact_id=fact_id)
                .order_by("-id")
                .first()
            )
        return Response(serializers.CorrectionSerializer(correction).data)
