"""Worklist filters (django-filter)."""

from __future__ import annotations

import datetime as dt

import django_filters
import django_filters.fields
from django import forms
from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from common import clock
from common.widgets import CompactSelect

from .models import (
    Benefit,
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
#: every filter starts empty and says so (issue 14): the empty choice reads "alle"
ALL = _("alle")
ACTIONS = [("open", _("Open acties")), ("verlopen", _("Acties over datum"))]
BENEFIT = [("lopend", _("Lopende uitkering")), ("geen", _("Geen lopende uitkering"))]


class PlainSelect(forms.Select):
    """Django's ``<select>``, byte for byte (the same layout and attribute order as its
    ``select.html``/``select_option.html``), built in one pass in Python instead of two template
    includes per option: the worklist renders seven of these per request (issue 17, pages under
    load). Flat choices only; choices with option groups are left to Django."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        # iterated, not list(): a model field's choices would run a COUNT for the list's size
        choices = [choice for choice in self.choices]  # noqa: C416
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        wanted = self.format_value(value)
        options = []
        has_selected = False
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            selected = not has_selected and option_value in wanted
            has_selected |= selected
            options.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    option_value,
                    _SELECTED if selected else "",
                    label,
                )
            )
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            name,
            _attributes(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 - each built by format_html
        )


_SELECTED = mark_safe(" selected")  # noqa: S308 - a constant attribute


def _attributes(attrs: dict) -> SafeString:
    """As Django's ``attrs.html``: in their order, ``True`` as a bare name, ``False`` left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", k) if v is True else format_html(' {}="{}"', k, v),)
            for k, v in attrs.items()
            if v is not False
        ),
    )


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """A model filter's choices by one ordinary query. Django lists them through
    ``QuerySet.iterator()``, which on PostgreSQL is a server-side cursor: DECLARE, FETCH and
    CLOSE, three round trips for the 6-60 rows of a worklist filter (issue 17)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListedChoiceIterator


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedModelChoiceField


class StaffChoiceField(ListedModelChoiceField):
    """A colleague by name (issue 14: the consulent filter showed user names, not names)."""

    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class StaffChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = StaffChoiceField


def _open_plan_actions(*, overdue: bool):
    """Open actions of the resident's plans (``intake.PlanAction``: looked up by name, so the
    caseload does not import intake); ``overdue``: with a due date before today."""
    plan_action = apps.get_model("intake", "PlanAction")
    qs = plan_action.objects.filter(plan__resident=OuterRef("pk"), done_on__isnull=True)
    return qs.filter(due_on__lt=clock.today()) if overdue else qs


class WorklistFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Naam"), method="filter_name")
    group = django_filters.ChoiceFilter(
        label=_("Groep"),
        choices=Group.choices,
        method="filter_group",
        widget=PlainSelect,
        empty_label=ALL,
    )
    instrument = ListedModelChoiceFilter(
        label=_("Instrument"),
        queryset=Instrument.objects.none(),
        method="filter_instrument",
        widget=PlainSelect,
        empty_label=ALL,
    )
    team = ListedModelChoiceFilter(
        label=_("Team"), queryset=Team.objects.none(), widget=PlainSelect, empty_label=ALL
    )
    consulent = StaffChoiceFilter(
        label=_("Consulent"), queryset=User.objects.none(), widget=CompactSelect, empty_label=ALL
    )
    benefit = django_filters.ChoiceFilter(
        label=_("Uitkering"),
        choices=BENEFIT,
        method="filter_benefit",
        widget=PlainSelect,
        empty_label=ALL,
    )
    district = ListedModelChoiceFilter(
        label=_("Wijk"),
        field_name="household__district",
        queryset=District.objects.none(),
        widget=PlainSelect,
        empty_label=ALL,
    )
    contact_overdue = django_filters.ChoiceFilter(
        label=_("Geen contact in 12 maanden"),
        choices=YES,
        method="filter_contact_overdue",
        widget=PlainSelect,
        empty_label=ALL,
    )
    reassessment_due = django_filters.ChoiceFilter(
        label=_("Herbeoordeling verlopen"),
        choices=YES,
        method="filter_reassessment_due",
        widget=PlainSelect,
        empty_label=ALL,
    )
    actions = django_filters.ChoiceFilter(
        label=_("Acties plan van aanpak"),
        choices=ACTIONS,
        method="filter_actions",
        widget=PlainSelect,
        empty_label=ALL,
    )

    class Meta:
        model = Resident
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        municipality_id = user.team.municipality_id if user.team_id else None
        # the options show the name only (issue 17: read no other column)
        self.filters["instrument"].queryset = Instrument.objects.filter(is_active=True).only("name")
        # the teams whose residents the list can hold: staff in a team see their own team's
        # (Resident.objects.visible_to), so another team could only ever give an empty list
        teams = Team.objects.filter(municipality_id=municipality_id)
        if not user.is_superuser:
            teams = teams.filter(pk=user.team_id)
        self.filters["team"].queryset = teams.only("name")
        self.filters["district"].queryset = District.objects.filter(
            municipality_id=municipality_id
        ).only("name")
        self.filters["consulent"].queryset = (
            User.objects.filter(team_id=user.team_id, role__in=[Role.CONSULENT, Role.TEAMLEIDER])
            .only("first_name", "last_name", "username")  # what the option shows
            .order_by("last_name", "first_name", "id")
        )

    def filter_name(self, qs, name, value):
        for part in value.split():
            qs = qs.filter(Q(first_name__icontains=part) | Q(last_name__icontains=part))
        return qs

    def filter_benefit(self, qs, name, value):
        """Residents whose household has a benefit running today (or has none)."""
        today = clock.today()
        running = Benefit.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gt=today),
            household_id=OuterRef("household_id"),
            start_date__lte=today,
        )
        return qs.filter(Exists(running)) if value == "lopend" else qs.exclude(Exists(running))

    def filter_group(self, qs, name, value):
        return qs.filter(
            Exists(
                GroupAssignment.objects.filter(
                    resident=OuterRef("pk"), ended_on__isnull=True, group=int(value)
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

    def filter_actions(self, qs, name, value):
        return qs.filter(Exists(_open_plan_actions(overdue=value == "verlopen")))
