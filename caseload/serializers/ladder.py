"""Participation ladder scores."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer

from caseload import services
from caseload.models import LadderScore

from .base import ReadSerializer, ServiceSerializer, resident_field


class LadderScoreSerializer(ReadSerializer):
    class Meta:
        model = LadderScore
        fields = ["id", "resident", "measured_on", "step", "by"]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Meting",
            value={"resident": 42, "measured_on": "2026-11-18", "step": 3},
            request_only=True,
        )
    ]
)
class LadderScoreCreateSerializer(ServiceSerializer):
    resident = resident_field()

    class Meta:
        model = LadderScore
        fields = ["resident", "measured_on", "step"]

    def perform(self, data):
        return services.ladder_score_record(by=self.user, **data)
