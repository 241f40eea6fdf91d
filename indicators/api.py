"""REST API: the stored indicator values (same rows as the export)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors


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
        if not selectors.can_view_dashboards(request.user):
            raise PermissionDenied
        query = ValuesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year", timezone.localdate().year)
        try:
            municipality, _ = selectors.municipality_for(
                user=request.user, municipality_id=query.validated_data.get("municipality")
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
