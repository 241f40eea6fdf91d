"""Reads from the caseload. Every read takes the requesting user, so access scoping (and, later,
access logging) lives in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import DecimalField, Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common import clock

from .models import (
    TEAM_ROLES,
    Application,
    Benefit,
    ContactMoment,
    GroupAssignment,
    Household,
    Instrument,
    Municipality,
    Resident,
    Team,
    Trajectory,
    User,
)
from .permissions import CaseloadPermission


def resident_list(
    *,
    user: User,
    team_id: int | None = None,
    consulent_id: int | None = None,
    group: int | None = None,
) -> QuerySet[Resident]:
    """Residents visible to ``user``, annotated with their current group and last contact."""
    current_group = GroupAssignment.objects.filter(
        resident=OuterRef("pk"), ended_on__isnull=True
    ).values("group")[:1]
    reassess_on = GroupAssignment.objects.filter(
        resident=OuterRef("pk"), ended_on__isnull=True
    ).values("reassess_on")[:1]
    last_contact = (
        ContactMoment.objects.filter(resident=OuterRef("pk"))
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    qs = (
        Resident.objects.visible_to(user)
        .select_related("team", "consulent", "household__district")
        .annotate(
            current_group=Subquery(current_group),
            reassess_on=Subquery(reassess_on),
            last_contact_on=Subquery(last_contact),
        )
    )
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    if consulent_id is not None:
        qs = qs.filter(consulent_id=consulent_id)
    if group is not None:
        qs = qs.in_group(group)
    return qs


# Access hooks (issue #6), registered by the privacy app so caseload does not import it:
# ``outside_scope(user=, resident_id=, queryset=, offer_break_glass=)`` may open a resident outside
# ``visible_to`` (break-the-glass) and ``accessed(user=, resident=)`` sees every resident handed out
# (the processing log).
_outside_scope_hooks: list[Callable[..., Resident | None]] = []
_access_listeners: list[Callable[..., None]] = []


def resident_access_hooks_register(
    *,
    outside_scope: Callable[..., Resident | None] | None = None,
    accessed: Callable[..., None] | None = None,
) -> None:
    if outside_scope is not None and outside_scope not in _outside_scope_hooks:
        _outside_scope_hooks.append(outside_scope)
    if accessed is not None and accessed not in _access_listeners:
        _access_listeners.append(accessed)


def resident_get(
    *,
    user: User,
    resident_id: int,
    offer_break_glass: bool = False,
    via_grant: bool = True,
) -> Resident:
    """One resident's record, or 404 when it does not exist or ``user`` may not see it.

    Outside ``visible_to``, a registered hook may open the record (a current break-the-glass
    grant) or, with ``offer_break_glass``, ask for a reason instead of the 404. ``via_grant=False``
    (a write a grant must not reach, such as moving the resident to another team) asks no hook:
    outside ``visible_to`` the answer is 404."""
    related = ("household__district", "team", "consulent", "municipality")
    resident = (
        Resident.objects.visible_to(user).select_related(*related).filter(pk=resident_id).first()
    )
    if resident is None and via_grant:
        for hook in _outside_scope_hooks:
            resident = hook(
                user=user,
                resident_id=resident_id,
                queryset=Resident.objects.select_related(*related),
                offer_break_glass=offer_break_glass,
            )
            if resident is not None:
                # the page offers only what a grant reaches (no corrections, no reassignment:
                # the security probe of 4 December found their links answering 404)
                resident.opened_by_grant = True
                break
    if resident is None:
        raise Http404
    for listener in _access_listeners:
        listener(user=user, resident=resident)
    return resident


def instrument_list(*, active_only: bool = True) -> QuerySet[Instrument]:
    qs = Instrument.objects.all()
    return qs.filter(is_active=True) if active_only else qs


# --- Write scope (issue 12, finding 3) ------------------------------------------------------------
#
# Every write resolves the ids it is given (household, team, consulent, resident, ...) against
# these querysets, in the API (``caseload.serializers.base.ScopedPrimaryKeyField`` through the
# view's ``scopes``) and in the UI forms; an object outside them answers exactly like a nonexistent
# id.


def municipalities_of(*, user: User) -> QuerySet[Municipality]:
    """The municipalities a person works in: that of their team; all for a superuser."""
    if not (user.is_authenticated and user.is_active):
        return Municipality.objects.none()
    if user.is_superuser:
        return Municipality.objects.all()
    if user.role in TEAM_ROLES and user.team_id is not None:
        return Municipality.objects.filter(teams__id=user.team_id)
    return Municipality.objects.none()


def municipality_for(
    *,
    user: User,
    municipality_id: int | None = None,
    bound_to: int | None = None,
    team_bound: bool = True,
) -> tuple[Municipality, list[Municipality]]:
    """The municipality a page or API call shows, and the ones the user may switch to.

    The one rule for the dashboards (indicators), the budget pages and API, the employers and the
    objects they own (an import, a report: its municipality must pass this rule, or it is a 404).
    With ``team_bound``, staff in a team (not a superuser) see their team's municipality and
    switch to nothing; so does staff bound to a municipality (``User.municipality``: a manager or
    finance of one municipality, issue 17); everyone else (beheer, a manager without one) works
    for every municipality of the deployment and picks one (default: the first by name).
    ``bound_to``: the municipality an API key is bound to (its own, or its service account's;
    :func:`apiauth.selectors.request_bound_municipality_id`): that one only, for every kind of
    user; another one asked for is a 404, as is a key bound to a municipality its user may not
    see. An unknown ``municipality_id`` is a 404. Checks no permission: the caller does.
    """
    if bound_to is not None:
        if municipality_id not in (None, bound_to):
            raise Http404
        municipality_id = bound_to
    if team_bound and user.team_id is not None and not user.is_superuser:
        own = Municipality.objects.get(teams__id=user.team_id)
        if bound_to is not None and own.pk != bound_to:
            raise Http404
        return own, []
    if user.municipality_id is not None and not user.is_superuser:
        # staff of one municipality without a team (a manager, finance; issue 17): that one
        # only, another asked for explicitly is a 404
        if municipality_id is not None and municipality_id != user.municipality_id:
            raise Http404
        return Municipality.objects.get(pk=user.municipality_id), []
    choices = list(Municipality.objects.order_by("name", "pk"))
    if not choices:
        raise Http404
    if municipality_id is None:
        return choices[0], choices
    for municipality in choices:
        if municipality.pk == municipality_id:
            return municipality, [] if bound_to is not None else choices
    raise Http404


def write_scope_teams(
    *, user: User, municipalities: QuerySet[Municipality], connected_system: bool = False
) -> QuerySet[Team]:
    """Teams a write may put a resident in: with ``caseload.reassign_resident`` (teamleider) or
    as a connected system, every team of ``municipalities``; otherwise only the user's own."""
    teams = Team.objects.filter(municipality__in=municipalities)
    if connected_system or user.has_perm(CaseloadPermission.REASSIGN_RESIDENT):
        return teams
    return teams.filter(pk=user.team_id) if user.team_id is not None else teams.none()


def write_scope_consulenten(*, teams: QuerySet[Team]) -> QuerySet[User]:
    """Active consulenten and teamleiders of ``teams`` (whether one belongs to the chosen team
    is the service's rule)."""
    return User.objects.filter(team__in=teams, role__in=TEAM_ROLES, is_active=True).select_related(
        "team"
    )


def write_scope_households(
    *, residents: QuerySet[Resident], municipalities: QuerySet[Municipality]
) -> QuerySet[Household]:
    """Households a resident may be registered into: of ``municipalities``, with a member in
    ``residents`` (what the caller sees) or without members yet (just created). A household
    whose members are all out of sight is out of scope: joining it would show its members and
    benefits in the new resident's dossier."""
    visible_member = residents.filter(household_id=OuterRef("pk"))
    any_member = Resident.objects.filter(household_id=OuterRef("pk"))
    return Household.objects.filter(municipality__in=municipalities).filter(
        Exists(visible_member) | ~Exists(any_member)
    )


# --- Workspace (issue #3): worklist and dossier timeline ---------------------------------------


def worklist(*, user: User) -> QuerySet[Resident]:
    """``resident_list`` plus the current trajectory's instrument name, for the worklist page
    and its export: only the columns they show (``WORKLIST_COLUMNS``)."""
    # the trajectory that runs today: a planned one (start after today) is not current yet
    current_trajectory = (
        Trajectory.objects.filter(resident=OuterRef("pk"))
        .running(clock.today())
        .order_by("-started_on", "-id")
        .values("instrument__name")[:1]
    )
    from django.apps import apps
    from django.db.models import Count, IntegerField, Value
    from django.db.models.functions import Coalesce

    # open plan actions past their due date (issue 14); intake.PlanAction looked up by name
    overdue_actions = (
        apps.get_model("intake", "PlanAction")
        .objects.filter(
            plan__resident=OuterRef("pk"), done_on__isnull=True, due_on__lt=clock.today()
        )
        .order_by()
        .values("plan__resident")
        .annotate(n=Count("id"))
        .values("n")
    )
    # only the columns the worklist and its export show (issue 17: 25 rows of every column of
    # the resident, its household, district, team and consulent were read and built per page)
    return (
        resident_list(user=user)
        .select_related(None)
        .select_related("consulent")
        .only(*WORKLIST_COLUMNS)
        .annotate(
            current_trajectory=Subquery(current_trajectory),
            overdue_actions=Coalesce(
                Subquery(overdue_actions, output_field=IntegerField()), Value(0)
            ),
        )
    )


#: what a worklist row shows: the name and the consulent's name (besides the annotations)
WORKLIST_COLUMNS = (
    "first_name",
    "name_prefix",
    "last_name",
    "consulent__first_name",
    "consulent__last_name",
    "consulent__username",
)


def ladder_step_label(step: int) -> str:
    """The step's name without its number ("4 Onbetaald werk" -> "Onbetaald werk")."""
    from .models import LadderScore

    return str(LadderScore.Step(step).label).split(" ", 1)[-1]


def _trajectory_detail(t: Trajectory) -> str:
    """Provider, hours per week and banenafspraak sector of a trajectory, as the timeline shows
    them ("WSP Gooi · 24,5 uur per week · banenafspraak: Overheid")."""
    parts = [t.provider] if t.provider else []
    if t.hours_per_week is not None:
        hours = f"{t.hours_per_week.normalize():f}".replace(".", ",")
        parts.append(_("%(hours)s uur per week") % {"hours": hours})
    if t.banenafspraak_sector:
        parts.append(
            _("banenafspraak: %(sector)s") % {"sector": t.get_banenafspraak_sector_display()}
        )
    return " · ".join(parts)


def ww_prevention_list(*, user: User, resident: Resident):
    """The resident's meldingen guided at the end of the WW (preventieroute ``ww_coaching``),
    newest first. ``resident`` comes from ``resident_get`` for ``user`` (which checked access)."""
    from .models import Application as _Application

    return _Application.objects.filter(
        resident=resident, prevention_route=_Application.PreventionRoute.WW_COACHING
    ).order_by("-received_on", "-pk")


@dataclass(frozen=True)
class DossierFacts:
    """A resident's recorded facts of the caseload tables, loaded once for the dossier: its
    timeline lists them all and its header picks the current ones from the same rows (issue 17,
    pages under load). One query per table, whatever the history length."""

    applications: list[Any]
    groups: list[GroupAssignment]
    trajectories: list[Trajectory]  # with their instrument
    contacts: list[ContactMoment]
    ladder_scores: list[Any]
    outflows: list[Any]
    frauds: list[Any]
    debts: list[Any]


def dossier_facts(*, resident: Resident) -> DossierFacts:
    """The facts of ``resident`` (from ``resident_get``, which checked access)."""
    from .models import Application as _Application
    from .models import DebtCase, FraudInvestigation, LadderScore, OutflowEvent

    return DossierFacts(
        applications=list(_Application.objects.filter(resident=resident)),
        groups=list(GroupAssignment.objects.filter(resident=resident)),
        trajectories=list(
            Trajectory.objects.filter(resident=resident).select_related("instrument")
        ),
        contacts=list(ContactMoment.objects.filter(resident=resident)),
        ladder_scores=list(LadderScore.objects.filter(resident=resident)),
        outflows=list(OutflowEvent.objects.filter(resident=resident)),
        frauds=list(FraudInvestigation.objects.filter(resident=resident)),
        debts=list(DebtCase.objects.filter(resident=resident)),
    )


def resident_timeline(*, user: User, resident: Resident, facts: DossierFacts | None = None) -> list:
    """One chronological list (newest first) of everything in the dossier, in a fixed number of
    queries whatever the history length; plus entries from registered timeline providers.
    ``facts``: the resident's facts when the caller loaded them already (the dossier page)."""
    from common.numbers import format_dutch
    from common.timeline import TimelineEntry, timeline_providers, timeline_sorted

    from .models import Application as _Application
    from .models import OutflowEvent

    if facts is None:
        facts = dossier_facts(resident=resident)
    entries: list[TimelineEntry] = []
    for a in facts.applications:
        entries.append(
            TimelineEntry(
                a.received_on,
                "application",
                _("Melding: begeleiding einde WW (met UWV)")
                if a.prevention_route == _Application.PreventionRoute.WW_COACHING
                else _("Aanvraag %(regime)s") % {"regime": a.get_regime_display()},
                a.get_outcome_display() if a.outcome else "",
                seq=a.pk,
            )
        )
    today = clock.today()
    for g in facts.groups:
        entries.append(
            TimelineEntry(
                g.decided_on,
                "group",
                str(g.get_group_display()),
                g.reason,
                extra={"fact_type": "groep", "fact_id": g.pk},
                seq=g.pk,
            )
        )
    for t in facts.trajectories:
        status = t.status_on(today)
        entries.append(
            TimelineEntry(
                t.started_on,
                "trajectory_start",
                (
                    _("Traject gepland: %(name)s")
                    if status == "gepland"
                    else _("Traject gestart: %(name)s")
                )
                % {"name": t.instrument.name},
                _trajectory_detail(t),
                extra={
                    "trajectory_id": t.pk,
                    "open": t.ended_on is None,
                    "status": status,
                    "name": t.instrument.name,
                    "fact_type": "traject",
                    "fact_id": t.pk,
                },
                seq=t.pk,
            )
        )
        if t.ended_on:
            entries.append(
                TimelineEntry(
                    t.ended_on,
                    "trajectory_end",
                    _("Traject afgesloten: %(name)s") % {"name": t.instrument.name},
                    t.get_result_display(),
                    seq=t.pk,
                )
            )
    for c in facts.contacts:
        entries.append(
            TimelineEntry(
                c.occurred_on,
                "contact",
                _("Contact: %(channel)s") % {"channel": str(c.get_channel_display()).lower()},
                c.summary,
                extra={"fact_type": "contact", "fact_id": c.pk},
                seq=c.pk,
            )
        )
    for s in facts.ladder_scores:
        entries.append(
            TimelineEntry(
                s.measured_on,
                "ladder",
                # issue 14: once "trede 4: 4 Onbetaald werk"; the label without its number
                _("Participatieladder: trede %(step)s, %(label)s")
                % {"step": s.step, "label": ladder_step_label(s.step).lower()},
                "",
                extra={"fact_type": "ladder", "fact_id": s.pk},
                seq=s.pk,
            )
        )
    for o in facts.outflows:
        # issue 14: the contract type shown; no "Uitstroom (Gedeeltelijke uitstroom (...))"
        detail = ", ".join(
            str(x)
            for x in [
                o.get_reason_display() if o.reason != o.Reason.WORK else "",
                o.employer,
                o.sector,
                o.get_contract_type_display() if o.contract_type else "",
                _("%(hours)s uur per week") % {"hours": format_dutch(o.hours_per_week.normalize())}
                if o.hours_per_week
                else "",
                _("gesubsidieerd") if o.is_subsidised else "",
            ]
            if x
        )
        entries.append(
            TimelineEntry(
                o.occurred_on,
                "outflow",
                _("Volledige uitstroom")
                if o.kind == OutflowEvent.Kind.FULL
                else _("Gedeeltelijke uitstroom"),
                detail,
                extra={"fact_type": "uitstroom", "fact_id": o.pk},
                recorded_at=o.recorded_at,
                seq=o.pk,
            )
        )
    for f in facts.frauds:
        entries.append(
            TimelineEntry(
                f.started_on,
                "fraud",
                _("Handhavingsonderzoek gestart"),
                f.get_signal_source_display(),
                seq=f.pk,
            )
        )
    for d in facts.debts:
        entries.append(TimelineEntry(d.applied_on, "debt", _("Schuldhulp aangemeld"), "", seq=d.pk))
    for provider in timeline_providers():
        entries.extend(provider(resident))
    return timeline_sorted(entries)


# --- Corrections (issue 14): the history of a fact on the dossier timeline --------------------

#: Dutch names of the corrected fields, for the timeline ("startdatum: 1-3-2027 -> 1-3-2026")
CORRECTION_FIELD_LABELS = {
    "instrument": _lazy("instrument"),
    "instrument_id": _lazy("instrument"),
    "provider": _lazy("aanbieder"),
    "started_on": _lazy("startdatum"),
    "planned_end_on": _lazy("geplande einddatum"),
    "ended_on": _lazy("einddatum"),
    "result": _lazy("resultaat"),
    "cost": _lazy("kosten"),
    "occurred_on": _lazy("datum"),
    "hours_per_week": _lazy("uren per week"),
    "employer": _lazy("werkgever"),
    "sector": _lazy("sector"),
    "contract_type": _lazy("soort contract"),
    "is_subsidised": _lazy("gesubsidieerd"),
    "is_hours_increase": _lazy("urenuitbreiding"),
    "still_off_benefit_6m": _lazy("na 6 maanden nog uit de uitkering"),
    "still_off_benefit_12m": _lazy("na 12 maanden nog uit de uitkering"),
    "channel": _lazy("kanaal"),
    "summary": _lazy("verslag"),
    "measured_on": _lazy("datum meting"),
    "step": _lazy("trede"),
    "group": _lazy("groep"),
    "decided_on": _lazy("besluitdatum"),
    "reason": _lazy("reden"),
    "reassess_on": _lazy("herbeoordeling"),
    "description": _lazy("actie"),
    "due_on": _lazy("uiterste datum"),
    "owner": _lazy("uitvoerder"),
    "done_on": _lazy("afgerond op"),
    "end_date": _lazy("einddatum"),
    "kind": _lazy("soort"),
    "outcome": _lazy("uitkomst"),
    "benefit_start": _lazy("ingangsdatum uitkering"),
}


#: what the timeline repeats of a withdrawn fact (the whole row is in the correction)
WITHDRAWN_SUMMARY_FIELDS = {
    "traject": ("started_on", "ended_on", "result"),
    "uitstroom": ("kind", "occurred_on", "hours_per_week"),
    "contact": ("occurred_on", "channel"),
    "ladder": ("measured_on", "step"),
    "groep": ("group", "decided_on"),
    "planactie": ("due_on", "owner"),
    "besluit": ("outcome", "decided_on"),
}


def _fact_model(fact_type: str):
    from django.apps import apps

    from .models import ContactMoment, LadderScore, OutflowEvent

    models_by_type = {
        "traject": Trajectory,
        "uitstroom": OutflowEvent,
        "contact": ContactMoment,
        "ladder": LadderScore,
        "groep": GroupAssignment,
        "besluit": Application,
    }
    if fact_type in models_by_type:
        return models_by_type[fact_type]
    return apps.get_model("intake", "PlanAction")  # registered by intake; no import of it


#: corrected decimals that are amounts in euros (the others, such as hours, are plain numbers)
CORRECTION_MONEY_FIELDS = {"cost"}


def _decimal_text(name: str, value) -> str:
    """A stored decimal (a snapshot keeps it as text, "20.0") the Dutch way: ``20``, ``20,5``,
    an amount as ``€ 1.250,00``."""
    from decimal import Decimal, InvalidOperation

    from common.numbers import format_dutch, format_euro

    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    if name in CORRECTION_MONEY_FIELDS:
        return format_euro(number)
    return format_dutch(number.normalize())


def correction_value_text(model, name: str, value, instruments: dict[int, str]) -> str:
    """A stored value of a snapshot as the dossier shows it (dates d-m-Y, choices by label)."""
    import datetime as dt

    if value is None or value == "":
        return _("leeg")
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if name in ("instrument", "instrument_id"):
        return instruments.get(value, str(value))
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a name that is no field of the model: shown as stored
        field = None
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, DecimalField):
        return _decimal_text(name, value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%-d-%-m-%Y")
        except ValueError:
            return value
    return str(value)


def _fact_name(correction, instruments: dict[int, str]) -> str:
    before = correction.before
    if correction.fact_type == "traject":
        return instruments.get(before.get("instrument_id"), "")
    if correction.fact_type == "uitstroom":
        return before.get("employer") or ""
    if correction.fact_type == "planactie":
        return before.get("description") or ""
    return ""


def _change_text(model, correction, field: str, instruments: dict[int, str]) -> str:
    before = correction.before.get(f"{field}_id", correction.before.get(field))
    after = correction.after.get(field)
    label = CORRECTION_FIELD_LABELS.get(field, field)
    old = correction_value_text(model, field, before, instruments)
    new = correction_value_text(model, field, after, instruments)
    return f"{label} {old} → {new}"


def correction_timeline_entries(resident: Resident) -> list:
    """Each correction and withdrawal of the resident's facts, with its reason and what
    changed (registered as a timeline provider in ``caseload.apps``). Two queries."""
    from django.utils import timezone

    from common.timeline import TimelineEntry

    from .models import Correction

    corrections = list(
        Correction.objects.filter(resident=resident).select_related("by").order_by("-at", "-id")
    )
    instrument_ids = {
        c.before.get("instrument_id") for c in corrections if c.fact_type == "traject"
    } | {c.after.get("instrument") for c in corrections if "instrument" in c.after}
    instruments = dict(
        Instrument.objects.filter(pk__in=[i for i in instrument_ids if i]).values_list("pk", "name")
    )
    entries = []
    for c in corrections:
        model = _fact_model(c.fact_type)
        what = str(Correction.FactType(c.fact_type).label)
        name = _fact_name(c, instruments)
        title = (
            _("%(what)s gecorrigeerd")
            if c.kind == Correction.Kind.CORRECTED
            else _("%(what)s ingetrokken")
        ) % {"what": what[:1].upper() + what[1:]}
        if name:
            title += f": {name}"
        parts = [_("Reden: %(reason)s") % {"reason": c.reason.rstrip(".")}]
        if c.kind == Correction.Kind.WITHDRAWN:
            was = [
                f"{CORRECTION_FIELD_LABELS.get(field, field)} "
                f"{correction_value_text(model, field, c.before.get(field), instruments)}"
                for field in WITHDRAWN_SUMMARY_FIELDS.get(c.fact_type, ())
                if c.before.get(field) not in (None, "")
            ]
            parts.append(_("Was: %(values)s") % {"values": "; ".join(was)})
        else:
            changes = [_change_text(model, c, field, instruments) for field in c.changed_fields]
            parts.append(_("Gewijzigd: %(changes)s") % {"changes": "; ".join(changes)})
        by = c.by.get_full_name() or c.by.get_username()
        parts.append(_("door %(by)s") % {"by": by})
        entries.append(
            TimelineEntry(
                timezone.localtime(c.at).date(),
                "correction",
                title,
                ". ".join(parts) + ".",
                recorded_at=c.at,
                seq=c.pk,
                extra={
                    "correction_id": c.pk,
                    "correction_kind": c.kind,
                    "corrected_fact_type": c.fact_type,
                    "corrected_fact_id": c.fact_id,
                },
            )
        )
    return entries


def resident_fact(*, resident: Resident, model, fact_id: int, related=()):
    """One recorded fact (a row of ``model`` with a ``resident``) of ``resident``, or None:
    a fact of another resident answers as a nonexistent one."""
    return model.objects.filter(resident=resident, pk=fact_id).select_related(*related).first()


# --- Dossier header (issue 14, "see at a glance") ----------------------------------------------


@dataclass(frozen=True)
class DossierHeader:
    """Where a resident stands today, for the top of the dossier."""

    group: GroupAssignment | None
    last_group: GroupAssignment | None  # without a current one: the latest that ended
    reassessment_overdue: bool
    trajectory: Trajectory | None
    trajectory_status: str  # "lopend", "gepland" or ""
    ladder: Any
    last_contact: ContactMoment | None
    contact_overdue: bool  # on benefit and no contact in the last 12 months (the worklist's view)
    plan: Any
    plan_open_actions: int
    plan_overdue_actions: int


def dossier_header(
    *,
    resident: Resident,
    facts: DossierFacts | None = None,
    benefits: list[Benefit] | None = None,
) -> DossierHeader:
    """The current group (and since when), the trajectory that runs today (else the next planned
    one, "gepland"), the herbeoordeling (overdue on or after its date), the latest ladder step,
    the latest plan van aanpak with its open and overdue actions, the last contact.

    Picked from ``facts`` (the rows the dossier's timeline shows; loaded here when not given),
    so the header adds one query, the plan's; ``benefits``: the household's (loaded when not
    given). Without a current group it names the last one and when it ended, and the contact
    is overdue only while a benefit runs: a closed dossier read "Nog niet ingedeeld" and "langer
    dan 12 maanden geleden" beside a timeline with its group (the walk of 4 December)."""
    from django.apps import apps
    from django.db.models import Count, Q

    if facts is None:
        facts = dossier_facts(resident=resident)
    today = clock.today()
    group = max(
        (g for g in facts.groups if g.ended_on is None),
        key=lambda g: (g.decided_on, g.pk),
        default=None,
    )
    last_group = (
        None
        if group is not None
        else max(facts.groups, key=lambda g: (g.ended_on, g.decided_on, g.pk), default=None)
    )
    if benefits is None:
        benefits = list(resident.household.benefits.all())
    on_benefit = any(
        b.start_date <= today and (b.end_date is None or b.end_date > today) for b in benefits
    )
    candidates = sorted(
        (t for t in facts.trajectories if t.ended_on is None or t.ended_on > today),
        key=lambda t: (t.started_on, t.pk),
        reverse=True,
    )
    running = [t for t in candidates if t.started_on <= today]
    planned = sorted((t for t in candidates if t.started_on > today), key=lambda t: t.started_on)
    trajectory = running[0] if running else (planned[0] if planned else None)
    ladder = max(facts.ladder_scores, key=lambda s: (s.measured_on, s.pk), default=None)
    contact = max(facts.contacts, key=lambda c: (c.occurred_on, c.pk), default=None)
    plan_model = apps.get_model("intake", "PlanVanAanpak")  # intake registers; no import of it
    plan = (
        plan_model.objects.filter(resident=resident)
        .annotate(
            open_actions=Count("actions", filter=Q(actions__done_on__isnull=True)),
            overdue_actions=Count(
                "actions", filter=Q(actions__done_on__isnull=True, actions__due_on__lt=today)
            ),
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return DossierHeader(
        group=group,
        last_group=last_group,
        reassessment_overdue=group is not None and group.reassess_on <= today,
        trajectory=trajectory,
        trajectory_status=trajectory.status_on(today) if trajectory else "",
        ladder=ladder,
        last_contact=contact,
        contact_overdue=on_benefit
        and (contact is None or contact.occurred_on < today - dt.timedelta(days=365)),
        plan=plan,
        plan_open_actions=plan.open_actions if plan else 0,
        plan_overdue_actions=plan.overdue_actions if plan else 0,
    )


# --- Deciding an application in the browser ---------------------------------------------------


def applications_to_decide(
    *, resident: Resident, facts: DossierFacts | None = None
) -> QuerySet[Application] | list[Application]:
    """The resident's applications still in behandeling, oldest first: what "Aanvraag beslissen"
    decides (``services.application_decide``). Not the meldingen guided at the end of the WW
    (preventieroute ``ww_coaching``): their outcome has a page of its own. ``resident`` comes
    from ``resident_get`` (which checked access). Without ``facts`` a queryset (the decision
    form's choices); with the dossier's ``facts`` the same rows as a list, without a query."""
    pending, ww = Application.Outcome.PENDING, Application.PreventionRoute.WW_COACHING
    if facts is None:
        return (
            Application.objects.filter(resident=resident, outcome=pending)
            .exclude(prevention_route=ww)
            .order_by("received_on", "pk")
        )
    return sorted(
        (a for a in facts.applications if a.outcome == pending and a.prevention_route != ww),
        key=lambda a: (a.received_on, a.pk),
    )


def benefit_running_exists(*, resident: Resident) -> bool:
    """Whether the resident's household has a benefit running today (started, no end date):
    the one an outflow is recorded against (``services.outflow_record``), as the worklist's
    "lopende uitkering" counts it. ``resident`` from ``resident_get``."""
    return Benefit.objects.filter(
        household_id=resident.household_id, end_date__isnull=True, start_date__lte=clock.today()
    ).exists()


def benefit_upcoming_start(*, resident: Resident) -> dt.date | None:
    """The start of a benefit of the household granted from a later day (not running yet),
    the earliest; None without one."""
    return (
        Benefit.objects.filter(
            household_id=resident.household_id, end_date__isnull=True, start_date__gt=clock.today()
        )
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )


def district_for_postcode(*, municipality_id: int, postcode: str) -> int | None:
    """The district (wijk) of a postcode, read from the municipality's households: a district
    has no postcode list of its own, but its households carry their postcodes. The id when every
    household of the municipality with the same four digits lies in one district; None when the
    digits are new or split over districts (then the dossier shows no district rather than a
    guess)."""
    digits = "".join(postcode.split())[:4]
    if len(digits) != 4 or not digits.isdigit():
        return None
    found = list(
        Household.objects.filter(
            municipality_id=municipality_id,
            postcode__startswith=digits,
            district_id__isnull=False,
        )
        .order_by()
        .values_list("district_id", flat=True)
        .distinct()[:2]
    )
    return found[0] if len(found) == 1 else None


def current_group_of(*, resident: Resident) -> int | None:
    """The resident's current work-readiness group (1, 2 or 3), or None."""
    return (
        GroupAssignment.objects.filter(resident=resident, ended_on__isnull=True)
        .values_list("group", flat=True)
        .first()
    )
