"""Worklist filters (django-filter)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from common import clock
from common.widgets import CompactSelect

from .models import (
    District,
    Group,
    GroupAssignment,
    Instrument,
    Resident,
    Role,
    Team,
    Trajectory,
    User,
)

YES = [("1", _("Ja"))]


class WorklistFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Naam"), method="filter_name")
    group = django_filters.TypedChoiceFilter(
        label=_("Groep"), choices=Group.choices, coerce=int, method="filter_group"
    )
    instrument = django_filters.ModelChoiceFilter(
        label=_("Instrument"), queryset=Instrument.objects.none(), method="filter_instrument"
    )
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.none())
    consulent = django_filters.ModelChoiceFilter(
        label=_("Consulent"), queryset=User.objects.none(), widget=CompactSelect
    )
    district = django_filters.ModelChoiceFilter(
        label=_("Wijk"), field_name="household__district", queryset=District.objects.none()
    )
    contact_overdue = django_filters.ChoiceFilter(
        label=_("Geen contact in 12 maanden"), choices=YES, method="filter_contact_overdue"
    )
    reassessment_due = django_filters.ChoiceFilter(
        label=_("Herbeoordeling verlopen"), choices=YES, method="filter_reassessment_due"
    )

    class Meta:
        model = Resident
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        municipality_id = user.team.municipality_id if user.team_id else None
        self.filters["instrument"].queryset = Instrument.objects.filter(is_active=True)
        self.filters["team"].queryset = Team.objects.filter(municipality_id=municipality_id)
        self.filters["district"].queryset = District.objects.filter(municipality_id=municipality_id)
        self.filters["consulent"].queryset = User.objects.filter(
            team_id=user.team_id, role__in=[Role.CONSULENT, Role.TEAMLEIDER]
        )

    def filter_name(self, qs, name, value):
        for part in value.split():
            qs = qs.filter(Q(first_name__icontains=part) | Q(last_name__icontains=part))
        return qs

    def filter_group(self, qs, name, value):
        return qs.filter(
            Exists(
                GroupAssignment.objects.filter(
                    resident=OuterRef("pk"), ended_on__isnull=True, group=value
                )
            )
        )

    def filter_instrument(self, qs, name, value):
        return qs.filter(
            Exists(
                Trajectory.objects.filter(
                    resident=OuterRef("pk"), ended_on__isnull=True, instrument=value
                )
            )
        )

    def filter_contact_overdue(self, qs, name, value):
        cutoff = clock.today() - dt.timedelta(days=365)
        return qs.filter(Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=cutoff))

    def filter_reassessment_due(self, qs, name, value):
        return qs.filter(reassess_on__lte=clock.today())
