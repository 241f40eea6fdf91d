"""API representations of employers and vacancies (/api/v1/employers/). Field descriptions are the
model fields' help texts; writes go through ``employers.services``."""

from __future__ import annotations

from rest_framework import serializers

from caseload.models import EducationLevel, User

from .calculations import sbi_section
from .models import (
    Employer,
    EmployerCommitment,
    EmployerContact,
    EmployerLocation,
    Occupation,
    Vacancy,
    VacancyStatus,
)


class LocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmployerLocation
        fields = ["id", "address", "postcode", "city"]
        read_only_fields = ["id"]


class LocationWriteSerializer(serializers.Serializer):
    address = serializers.CharField(max_length=200, help_text="Straat en huisnummer.")
    postcode = serializers.CharField(max_length=7, help_text="Bijvoorbeeld 1211AB.")
    city = serializers.CharField(max_length=100)


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmployerContact
        fields = ["id", "name", "role", "phone", "email"]
        read_only_fields = ["id"]


class CommitmentSerializer(serializers.ModelSerializer):
    # text, not an enum in the schema: the enum name "kind" is the outflow's (caseload)
    kind = serializers.CharField(
        max_length=20, help_text="Soort toezegging: sroi of banenafspraak."
    )

    class Meta:
        model = EmployerCommitment
        fields = ["kind", "year", "number"]


class EmployerSerializer(serializers.ModelSerializer):
    sbi_section = serializers.SerializerMethodField(
        help_text="Sectie van SBI 2008 (A tot en met U) bij de SBI-code."
    )
    locations = LocationSerializer(many=True, read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)
    commitments = CommitmentSerializer(many=True, read_only=True)

    class Meta:
        model = Employer
        fields = [
            "id",
            "municipality",
            "kvk_number",
            "name",
            "sbi_code",
            "sbi_section",
            "account_manager",
            "locations",
            "contacts",
            "commitments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_sbi_section(self, obj: Employer) -> str:
        return sbi_section(obj.sbi_code) or ""


class EmployerWriteSerializer(serializers.Serializer):
    """Create: name, KvK number, SBI code, account manager and optionally locations, contacts and
    commitments. Update (PATCH): name, KvK number, SBI code, account manager."""

    name = serializers.CharField(max_length=200, help_text="Naam van de werkgever.")
    kvk_number = serializers.CharField(max_length=12, help_text="KvK-nummer: acht cijfers.")
    sbi_code = serializers.CharField(
        max_length=8, help_text="SBI 2008-code, twee tot vijf cijfers."
    )
    account_manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        allow_null=True,
        required=False,
        help_text="Id van de accountmanager (een medewerker met de rol accountmanager).",
    )
    gemeente = serializers.IntegerField(
        required=False, help_text="Id van de gemeente (standaard die van de gebruiker)."
    )
    locations = LocationWriteSerializer(many=True, required=False)
    contacts = ContactSerializer(many=True, required=False)
    commitments = CommitmentSerializer(many=True, required=False)


class EmployerUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    kvk_number = serializers.CharField(max_length=12, required=False)
    sbi_code = serializers.CharField(max_length=8, required=False)
    account_manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), allow_null=True, required=False
    )


class VacancySerializer(serializers.ModelSerializer):
    occupation = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="ISCO-08-code (vier cijfers)."
    )
    occupation_title = serializers.CharField(source="occupation.title", read_only=True)

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "employer",
            "occupation",
            "occupation_title",
            "title",
            "hours_per_week",
            "postcode",
            "education_level",
            "requirements",
            "start_date",
            "banenafspraak",
            "loonkostensubsidie",
            "status",
            "opened_on",
            "closed_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class VacancyWriteSerializer(serializers.Serializer):
    employer = serializers.IntegerField(help_text="Id van de werkgever.")
    occupation = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Occupation.objects.all(),
        help_text="ISCO-08-code van de beroepsgroep (vier cijfers).",
    )
    title = serializers.CharField(max_length=200)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1)
    postcode = serializers.CharField(max_length=7)
    education_level = serializers.ChoiceField(
        choices=[("", "")] + list(EducationLevel.choices), required=False, default=""
    )
    requirements = serializers.CharField(required=False, allow_blank=True, default="")
    start_date = serializers.DateField()
    banenafspraak = serializers.BooleanField(required=False, default=False)
    loonkostensubsidie = serializers.BooleanField(required=False, default=False)


class VacancyUpdateSerializer(serializers.Serializer):
    """PATCH: the fields sent replace the vacancy's; the others stay."""

    occupation = serializers.SlugRelatedField(
        slug_field="code", queryset=Occupation.objects.all(), required=False
    )
    title = serializers.CharField(max_length=200, required=False)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)
    postcode = serializers.CharField(max_length=7, required=False)
    education_level = serializers.ChoiceField(
        choices=[("", "")] + list(EducationLevel.choices), required=False
    )
    requirements = serializers.CharField(required=False, allow_blank=True)
    start_date = serializers.DateField(required=False)
    banenafspraak = serializers.BooleanField(required=False)
    loonkostensubsidie = serializers.BooleanField(required=False)


class VacancyCloseSerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=[(VacancyStatus.FILLED, "Vervuld"), (VacancyStatus.WITHDRAWN, "Ingetrokken")]
    )
    closed_on = serializers.DateField()
