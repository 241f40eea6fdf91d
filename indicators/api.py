"""REST API: the stored indicator values (same rows as the export)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apiauth.selectors import request_token
from common import clock

from . import selectors
from .permissions import IndicatorPermission


def _bound_municipality_id(request: Request) -> int | None:
    """The municipality a key is bound to: the key's own, else its service account's."""
    token = request_token(request)
    if token is None:
        return None
    if token.municipality_id is not None:
        return token.municipality_id
    service_account = getattr(request.user, "service_account", None)
    return service_account.municipality_id if service_account is not None else None


class ValuesQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    municipality = serializers.IntegerField(min_value=1, required=False)


class IndicatorValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    period = serializers.CharField()
    dimension = serializers.CharField(allow_blank=True)
    value = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    numerator = serializers.CharField()
    denominator = serializers.CharField(allow_null=True)
    target = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    computed_at = serializers.DateTimeField()


class IndicatorValuesView(APIView):
    """``GET /api/v1/indicators/values/?year=YYYY``: every stored value of the year."""

    required_permission = IndicatorPermission.VIEW_DASHBOARDS

    @extend_schema(
        summary="Indicatorwaarden van een jaar",
        parameters=[ValuesQuerySerializer],
        responses=inline_serializer(
            "IndicatorValues",
            {
                "municipality": serializers.CharField(),
                "year": serializers.IntegerField(),
                "results": IndicatorValueSerializer(many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        query = ValuesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year", clock.today().year)
        requested = query.validated_data.get("municipality")
        bound = _bound_municipality_id(request)
        if bound is not None:
            # a key bound to a municipality (or a service account's key) reads that municipality
            # only: another one is answered like one that does not exist
            if requested not in (None, bound):
                raise NotFound
            requested = bound
        try:
            municipality, _ = selectors.municipality_for(
                user=request.user, municipality_id=requested, bound=bound is not None
            )
            rows = selectors.export_rows(user=request.user, municipality=municipality, year=year)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        return Response(
            {
                "municipality": municipality.cbs_code,
                "year": year,
                "results": IndicatorValueSerializer(rows, many=True).data,
            }
        )
