"""Debt cases (schuldhulpverlening): register and close."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from caseload import services
from caseload.models import DebtCase

from .base import ReadSerializer, ServiceSerializer, resident_field


class DebtCaseSerializer(ReadSerializer):
    class Meta:
        model = DebtCase
        fields = ["id", "resident", "applied_on", "total_debt", "closed_on", "result"]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Aanmelding schuldhulp",
            value={"resident": 42, "applied_on": "2026-11-12", "total_debt": "8450.00"},
            request_only=True,
        )
    ]
)
class DebtCaseCreateSerializer(ServiceSerializer):
    resident = resident_field()

    class Meta:
        model = DebtCase
        fields = ["resident", "applied_on", "total_debt"]
        extra_kwargs = {"total_debt": {"min_value": 0}}

    def perform(self, data):
        return services.debt_case_open(**data)


class DebtCaseCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(help_text="Datum van afsluiten.")
    result = serializers.ChoiceField(
        choices=DebtCase.Result.choices, help_text="Resultaat van het schuldhulptraject."
    )
