"""API representations of the matching (/api/v1/matching/). Writes go through
``matching.services``; a candidate carries no BSN, name or address (like the page)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from caseload.models import OutflowEvent

from . import ranking
from .models import Consent, Placement, Profile, Proposal


class ProfileSerializer(serializers.ModelSerializer):
    sought = serializers.SerializerMethodField(
        help_text="Gezochte beroepen: ISCO-08-codes (vier cijfers)."
    )
    experience = serializers.SerializerMethodField(
        help_text="Werkervaring: ISCO-08-code en aantal jaren."
    )
    missing = serializers.SerializerMethodField(
        help_text="Wat nog ontbreekt voor een volledig profiel (leeg: volledig)."
    )

    class Meta:
        model = Profile
        fields = [
            "id",
            "resident",
            "sought",
            "experience",
            "no_work_experience",
            "driving_licence",
            "travel_range_km",
            "hours_available",
            "completed_on",
            "missing",
            "updated_at",
        ]
        read_only_fields = fields

    def get_missing(self, obj: Profile) -> list[str]:
        return list(self.context.get("missing", []))

    def get_sought(self, obj: Profile) -> list[str]:
        return [s.occupation.code for s in obj.sought.all()]

    def get_experience(self, obj: Profile) -> list[dict[str, str]]:
        return [
            {"occupation": e.occupation.code, "years": str(e.years)} for e in obj.experience.all()
        ]


class ProfileUpdateSerializer(serializers.Serializer):
    """PATCH: the fields sent replace the profile's; the others stay."""

    sought = serializers.ListField(
        child=serializers.CharField(max_length=4),
        max_length=5,
        required=False,
        help_text="Gezochte beroepen: hoogstens vijf ISCO-08-codes.",
    )
    no_work_experience = serializers.BooleanField(required=False)
    driving_licence = serializers.BooleanField(required=False, allow_null=True)
    travel_range_km = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=200
    )
    hours_available = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, allow_null=True
    )


class ConsentSerializer(serializers.ModelSerializer):
    scope = serializers.CharField(read_only=True, help_text="Waarvoor: voorstellen_werkgevers.")
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = ["id", "resident", "scope", "given_on", "recorded_at", "withdrawn_at", "is_active"]
        read_only_fields = fields


class ConsentGiveSerializer(serializers.Serializer):
    given_on = serializers.DateField(help_text="Datum van de toestemming (niet in de toekomst).")


class MatchSerializer(serializers.Serializer):
    """One ranked pair: the score, the credit per factor and the reason per factor (Dutch)."""

    rank = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=5, decimal_places=1)
    credits = serializers.DictField(child=serializers.FloatField())
    reasons = serializers.DictField(child=serializers.CharField())
    consented = serializers.BooleanField()
    proposed = serializers.BooleanField()

    def to_representation(self, instance: ranking.Match) -> dict:
        return {
            "rank": instance.rank,
            "score": str(instance.score),
            "credits": instance.credits,
            "reasons": ranking.reasons(instance),
            "consented": instance.consented,
            "proposed": instance.proposed,
            **self.identity(instance),
        }

    def identity(self, instance: ranking.Match) -> dict:
        return {}


class CandidateSerializer(MatchSerializer):
    """A candidate of a vacancy: the profile's id (to propose), never BSN, name or address."""

    profile = serializers.IntegerField(help_text="Id van het profiel (om voor te dragen).")

    def identity(self, instance: ranking.Match) -> dict:
        return {"profile": instance.profile_id}


class ResidentVacancySerializer(MatchSerializer):
    vacancy = serializers.IntegerField(help_text="Id van de vacature.")

    def identity(self, instance: ranking.Match) -> dict:
        return {"vacancy": instance.vacancy_id}


class ProposalSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="voorgedragen, aangenomen of afgewezen."
    )
    placement = serializers.SerializerMethodField(help_text="Id van de plaatsing, of null.")

    class Meta:
        model = Proposal
        fields = [
            "id",
            "vacancy",
            "resident",
            "proposed_on",
            "motivation",
            "score",
            "status",
            "answered_on",
            "decline_reason",
            "placement",
        ]
        read_only_fields = fields

    def get_placement(self, obj: Proposal) -> int | None:
        placement = getattr(obj, "placement", None)
        return placement.pk if placement is not None else None


class ProposalCreateSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField(help_text="Id van de vacature.")
    profile = serializers.IntegerField(help_text="Id van het profiel van de inwoner.")
    motivation = serializers.CharField(required=False, allow_blank=True, default="")


class ProposalAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(
        choices=[("aangenomen", "Aangenomen"), ("afgewezen", "Afgewezen")],
        help_text="Het antwoord van de werkgever.",
    )
    answered_on = serializers.DateField()
    decline_reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Verplicht bij een afwijzing."
    )


class PlacementSerializer(serializers.ModelSerializer):
    outflow_kind = serializers.CharField(source="outflow.kind", read_only=True)
    still_off_benefit_6m = serializers.BooleanField(
        source="outflow.still_off_benefit_6m", read_only=True, allow_null=True
    )
    still_off_benefit_12m = serializers.BooleanField(
        source="outflow.still_off_benefit_12m", read_only=True, allow_null=True
    )

    class Meta:
        model = Placement
        fields = [
            "id",
            "proposal",
            "start_date",
            "hours_per_week",
            "loonkostensubsidie",
            "proefplaatsing",
            "jobcoach",
            "outflow",
            "outflow_kind",
            "still_off_benefit_6m",
            "still_off_benefit_12m",
            "recorded_at",
        ]
        read_only_fields = fields


@extend_schema_field(
    {
        "type": "string",
        "enum": list(OutflowEvent.Kind.values),
        "description": "volledig of gedeeltelijk.",
    }
)
class OutflowKindField(serializers.ChoiceField):
    """The outflow's kind, inline in the schema (the enum component is caseload's ``kind``)."""


class PlacementCreateSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(help_text="Id van de aangenomen voordracht.")
    start_date = serializers.DateField()
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1)
    outflow_kind = OutflowKindField(choices=OutflowEvent.Kind.choices)
    contract_type = serializers.ChoiceField(choices=OutflowEvent.ContractType.choices)
    loonkostensubsidie = serializers.BooleanField(required=False, default=False)
    proefplaatsing = serializers.BooleanField(required=False, default=False)
    jobcoach = serializers.BooleanField(required=False, default=False)
