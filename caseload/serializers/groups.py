"""Group assignments (groepsindeling), with history."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from caseload import services
from caseload.models import Group, GroupAssignment

from .base import ReadSerializer, ServiceSerializer, model_help_text, resident_field


class GroupAssignmentSerializer(ReadSerializer):
    is_current = serializers.BooleanField(read_only=True, help_text="De lopende indeling.")

    class Meta:
        model = GroupAssignment
        fields = [
            "id",
            "resident",
            "group",
            "decided_on",
            "reason",
            "decided_by",
            "reassess_on",
            "ended_on",
            "is_current",
        ]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Indeling in groep 2",
            value={
                "resident": 42,
                "group": 2,
                "reason": "Brede intake: met scholing binnen twee jaar aan het werk.",
                "decided_on": "2026-11-20",
                "reassess_on": None,
            },
            request_only=True,
        )
    ]
)
class GroupAssignmentCreateSerializer(ServiceSerializer):
    resident = resident_field()
    group = serializers.ChoiceField(
        choices=Group.choices, help_text=model_help_text(GroupAssignment, "group")
    )
    decided_on = serializers.DateField(
        required=False, allow_null=True, help_text="Datum van het besluit; standaard vandaag."
    )
    reassess_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Datum herbeoordeling; standaard een half jaar (groep 1) of een jaar later.",
    )

    class Meta:
        model = GroupAssignment
        fields = ["resident", "group", "reason", "decided_on", "reassess_on"]

    def perform(self, data):
        return services.group_assign(by=self.user, **data)
