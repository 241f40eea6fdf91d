"""Applications (meldingen) and the decision on one."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from caseload import services
from caseload.models import Application

from .base import ReadSerializer, ServiceSerializer, resident_field


class ApplicationSerializer(ReadSerializer):
    class Meta:
        model = Application
        fields = [
            "id",
            "resident",
            "regime",
            "received_on",
            "risk_profile",
            "prevention_route",
            "outcome",
            "decided_on",
            "benefit",
        ]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Nieuwe melding",
            value={
                "resident": 42,
                "received_on": "2026-11-02",
                "regime": "pw",
                "risk_profile": "normaal",
                "prevention_route": "ww_coaching",
            },
            request_only=True,
        )
    ]
)
class ApplicationCreateSerializer(ServiceSerializer):
    resident = resident_field()

    class Meta:
        model = Application
        fields = ["resident", "received_on", "regime", "risk_profile", "prevention_route"]

    def perform(self, data):
        return services.application_register(**data)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Toekennen",
            value={"outcome": "toegekend", "decided_on": "2026-11-20", "benefit_start": None},
            request_only=True,
        )
    ]
)
class ApplicationDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[c for c in Application.Outcome.choices if c[0] != Application.Outcome.PENDING],
        help_text="Besluit: toegekend, afgewezen, ingetrokken of voorkomen.",
    )
    decided_on = serializers.DateField(help_text="Datum van het besluit.")
    benefit_start = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Ingangsdatum van de uitkering bij toekenning; standaard de meldingsdatum.",
    )
