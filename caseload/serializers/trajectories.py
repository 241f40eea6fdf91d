"""The instrument catalogue and trajectories: start and close."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from caseload import services
from caseload.models import Instrument, Trajectory

from .base import ReadSerializer, ScopedPrimaryKeyField, ServiceSerializer, resident_field


class InstrumentSerializer(ReadSerializer):
    class Meta:
        model = Instrument
        fields = [
            "id",
            "code",
            "name",
            "category",
            "srg_type",
            "is_working_with_support",
            "is_participation",
            "default_cost",
            "description",
            "is_active",
        ]
        read_only_fields = fields


class TrajectorySerializer(ReadSerializer):
    is_open = serializers.BooleanField(read_only=True, help_text="Het traject loopt nog.")

    class Meta:
        model = Trajectory
        fields = [
            "id",
            "resident",
            "instrument",
            "provider",
            "started_on",
            "planned_end_on",
            "ended_on",
            "result",
            "cost",
            "hours_per_week",
            "banenafspraak_sector",
            "created_by",
            "is_open",
        ]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Traject starten",
            value={
                "resident": 42,
                "instrument": 6,
                "started_on": "2026-11-01",
                "provider": "Werkbedrijf Gooi",
                "planned_end_on": "2027-05-01",
                "cost": "2000.00",
                "hours_per_week": "32.0",
                "banenafspraak_sector": "markt",
            },
            request_only=True,
        )
    ]
)
class TrajectoryCreateSerializer(ServiceSerializer):
    resident = resident_field()
    instrument = ScopedPrimaryKeyField(scope="instruments", model=Instrument)
    cost = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Kosten in euro; standaard de standaardkosten van het instrument.",
    )

    class Meta:
        model = Trajectory
        fields = [
            "resident",
            "instrument",
            "started_on",
            "provider",
            "planned_end_on",
            "cost",
            "hours_per_week",
            "banenafspraak_sector",
        ]

    def perform(self, data):
        return services.trajectory_start(by=self.user, **data)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Traject afsluiten",
            value={"ended_on": "2026-11-20", "result": "afgerond", "cost": None},
            request_only=True,
        )
    ]
)
class TrajectoryCloseSerializer(serializers.Serializer):
    ended_on = serializers.DateField(help_text="Einddatum van het traject.")
    result = serializers.ChoiceField(
        choices=Trajectory.Result.choices, help_text="Resultaat van het traject."
    )
    cost = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Werkelijke kosten in euro; leeg laat de kosten ongewijzigd.",
    )
