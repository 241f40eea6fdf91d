"""Outflow (uitstroom)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from caseload import services
from caseload.models import CbsEndReason, OutflowEvent

from .base import ReadSerializer, ServiceSerializer, resident_field


class OutflowEventSerializer(ReadSerializer):
    class Meta:
        model = OutflowEvent
        fields = [
            "id",
            "resident",
            "benefit",
            "kind",
            "reason",
            "occurred_on",
            "is_hours_increase",
            "hours_per_week",
            "employer",
            "sector",
            "contract_type",
            "is_subsidised",
            "still_off_benefit_6m",
            "still_off_benefit_12m",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Volledige uitstroom naar werk",
            value={
                "resident": 42,
                "kind": "volledig",
                "reason": "werk",
                "occurred_on": "2026-11-01",
                "hours_per_week": "32.0",
                "employer": "Zorggroep Gooi",
                "sector": "Zorg",
                "contract_type": "tijdelijk",
                "is_subsidised": False,
                "is_hours_increase": False,
                "end_reason": "",
            },
            request_only=True,
        )
    ]
)
class OutflowEventCreateSerializer(ServiceSerializer):
    resident = resident_field()
    end_reason = serializers.ChoiceField(
        choices=CbsEndReason.choices,
        required=False,
        allow_blank=True,
        help_text="CBS-reden van beëindiging bij volledige uitstroom; standaard 11 of 13 bij werk.",
    )

    class Meta:
        model = OutflowEvent
        fields = [
            "resident",
            "kind",
            "reason",
            "occurred_on",
            "end_reason",
            "hours_per_week",
            "employer",
            "sector",
            "contract_type",
            "is_subsidised",
            "is_hours_increase",
        ]

    def perform(self, data):
        return services.outflow_record(by=self.user, **data)
