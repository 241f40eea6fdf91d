"""Fraud investigations (handhaving): start and close."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from caseload import services
from caseload.models import FraudInvestigation

from .base import ReadSerializer, ServiceSerializer, resident_field


class FraudInvestigationSerializer(ReadSerializer):
    class Meta:
        model = FraudInvestigation
        fields = [
            "id",
            "resident",
            "started_on",
            "signal_source",
            "ended_on",
            "result",
            "claim_amount",
        ]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Onderzoek starten",
            value={
                "resident": 42,
                "started_on": "2026-11-10",
                "signal_source": "inlichtingenbureau",
            },
            request_only=True,
        )
    ]
)
class FraudInvestigationCreateSerializer(ServiceSerializer):
    resident = resident_field()

    class Meta:
        model = FraudInvestigation
        fields = ["resident", "started_on", "signal_source"]

    def perform(self, data):
        return services.fraud_investigation_start(**data)


class FraudInvestigationCloseSerializer(serializers.Serializer):
    ended_on = serializers.DateField(help_text="Einddatum van het onderzoek.")
    result = serializers.ChoiceField(
        choices=FraudInvestigation.Result.choices, help_text="Resultaat van het onderzoek."
    )
    claim_amount = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="Vordering in euro; standaard 0.",
    )
