"""Corrections and withdrawals of recorded facts (issue 14): the request bodies, per fact type
the fields a correction may change, and the correction record the API answers with."""

from __future__ import annotations

import functools

from rest_framework import serializers

from caseload import services
from caseload.models import (
    ContactMoment,
    Correction,
    GroupAssignment,
    LadderScore,
    OutflowEvent,
    Trajectory,
)

REASON_HELP = (
    "Waarom het gegeven niet klopte (verplicht). De reden blijft in de geschiedenis van het "
    "dossier."
)


def _changes_serializer(model, fields, name: str):
    """A serializer of ``fields`` of ``model``, none required (only what is sent changes)."""
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": list(fields),
            "extra_kwargs": {f: {"required": False} for f in fields},
            "validators": [],  # the service checks the whole fact, as a new record
        },
    )
    return type(name, (serializers.ModelSerializer,), {"Meta": meta, "__module__": __name__})


TrajectoryChangesSerializer = _changes_serializer(
    Trajectory, services.TRAJECTORY_CORRECTABLE, "TrajectoryChangesSerializer"
)
OutflowEventChangesSerializer = _changes_serializer(
    OutflowEvent, services.OUTFLOW_CORRECTABLE, "OutflowEventChangesSerializer"
)
ContactMomentChangesSerializer = _changes_serializer(
    ContactMoment, services.CONTACT_CORRECTABLE, "ContactMomentChangesSerializer"
)
LadderScoreChangesSerializer = _changes_serializer(
    LadderScore, services.LADDER_CORRECTABLE, "LadderScoreChangesSerializer"
)
GroupAssignmentChangesSerializer = _changes_serializer(
    GroupAssignment, services.GROUP_CORRECTABLE, "GroupAssignmentChangesSerializer"
)


@functools.cache
def correct_request_serializer(changes_serializer):
    """``{"reason": ..., "changes": {...}}`` for one fact type (one class per fact type)."""
    name = changes_serializer.__name__.removesuffix("ChangesSerializer") + "CorrectSerializer"
    return type(
        name,
        (serializers.Serializer,),
        {
            "__module__": __name__,
            "__doc__": "Een correctie: de reden en de velden die veranderen.",
            "reason": serializers.CharField(max_length=2000, help_text=REASON_HELP),
            "changes": changes_serializer(
                help_text="De gecorrigeerde waarden; wat niet wordt meegestuurd blijft gelijk."
            ),
        },
    )


class WithdrawRequestSerializer(serializers.Serializer):
    """Een intrekking: alleen de reden."""

    reason = serializers.CharField(max_length=2000, help_text=REASON_HELP)


class CorrectionSerializer(serializers.ModelSerializer):
    """Een correctie of intrekking zoals de geschiedenis van het dossier haar bewaart."""

    id = serializers.IntegerField(read_only=True, help_text="Technisch id van de correctie.")
    resident = serializers.PrimaryKeyRelatedField(read_only=True, help_text="Id van de inwoner.")
    fact_type = serializers.CharField(
        read_only=True,
        help_text="Soort gegeven: traject, uitstroom, contact, ladder, groep of planactie.",
    )
    fact_id = serializers.IntegerField(read_only=True, help_text="Id van het gegeven.")
    kind = serializers.CharField(read_only=True, help_text="gecorrigeerd of ingetrokken.")
    reason = serializers.CharField(read_only=True, help_text="De opgegeven reden.")
    before = serializers.JSONField(
        read_only=True, help_text="Alle opgeslagen waarden van het gegeven vóór de correctie."
    )
    changed_fields = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="De gewijzigde velden (leeg bij een intrekking).",
    )
    after = serializers.JSONField(read_only=True, help_text="De nieuwe waarden van die velden.")
    related = serializers.JSONField(
        read_only=True,
        help_text="Andere gegevens die meeveranderden (bijv. de einddatum van de uitkering).",
    )
    affected_from = serializers.DateField(
        read_only=True, help_text="Vanaf deze datum worden de indicatoren herberekend."
    )
    by = serializers.PrimaryKeyRelatedField(read_only=True, help_text="Id van de medewerker.")
    at = serializers.DateTimeField(read_only=True, help_text="Tijdstip van de correctie.")

    class Meta:
        model = Correction
        fields = [
            "id",
            "resident",
            "fact_type",
            "fact_id",
            "kind",
            "reason",
            "before",
            "changed_fields",
            "after",
            "related",
            "affected_from",
            "by",
            "at",
        ]
        read_only_fields = fields
