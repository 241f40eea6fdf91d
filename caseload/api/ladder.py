"""Participation ladder scores."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from caseload import api_filters
from caseload.models import LadderScore
from caseload.serializers import ladder as serializers

from .base import ResidentChildViewSet


@extend_schema_view(
    list=extend_schema(summary="Participatieladder-scores"),
    retrieve=extend_schema(summary="Eén meting"),
    create=extend_schema(
        summary="Meting participatieladder vastleggen",
        request=serializers.LadderScoreCreateSerializer,
        responses={201: serializers.LadderScoreSerializer},
    ),
)
class LadderScoreViewSet(ResidentChildViewSet):
    model = LadderScore
    serializers = {
        "default": serializers.LadderScoreSerializer,
        "create": serializers.LadderScoreCreateSerializer,
    }
    filterset_class = api_filters.LadderScoreFilter
    ordering_fields = ["id", "measured_on"]
