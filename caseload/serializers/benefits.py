"""Benefits (read only: a benefit opens through an application's decision)."""

from __future__ import annotations

from rest_framework import serializers

from caseload.models import Benefit

from .base import ReadSerializer


class BenefitSerializer(ReadSerializer):
    is_open = serializers.BooleanField(
        read_only=True, help_text="Lopende uitkering (geen einddatum)."
    )

    class Meta:
        model = Benefit
        fields = [
            "id",
            "household",
            "applicant",
            "regime",
            "start_date",
            "end_date",
            "end_reason",
            "is_open",
        ]
        read_only_fields = fields
