"""Participation ladder scores."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view

from caseload import api_filters
from caseload.models import LadderScore
from caseload.serializers import corrections as correction_serializers
from caseload.serializers import ladder as serializers

from .base import ResidentChildViewSet
from .corrections import CorrectionActionsMixin, correction_schema


@extend_schema_view(
    list=extend_schema(summary="Participatieladder-scores"),
    retrieve=extend_schema(summary="Eén meting"),
    create=extend_schema(
        summary="Meting participatieladder vastleggen",
        request=serializers.LadderScoreCreateSerializer,
        responses={201: serializers.LadderScoreSerializer},
    ),
    **correction_schema(
        label="Participatieladder-score",
        changes_serializer=correction_serializers.LadderScoreChangesSerializer,
        resource_serializer=serializers.LadderScoreSerializer,
    ),
)
class LadderScoreViewSet(CorrectionActionsMixin, ResidentChildViewSet):
    model = LadderScore
    fact_type = "ladder"  # issue 14: correct/ and withdraw/
    changes_serializer = correction_serializers.LadderScoreChangesSerializer
    serializers = {
        "default": serializers.LadderScoreSerializer,
        "create": serializers.LadderScoreCreateSerializer,
    }
    filterset_class = api_filters.LadderScoreFilter
    ordering_fields = ["id", "measured_on"]
