"""Reads from the caseload. Every read takes the requesting user, so access scoping (and, later,
access logging) lives in one place."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from .models import (
    TEAM_ROLES,
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
# these querysets, in the API (``caseload.serializers.ScopedPrimaryKeyField`` through the view's
# ``scopes``) and in the UI forms; an object outside them answers exactly like a nonexistent id.


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
    bound: bool = False,
    team_bound: bool = True,
) -> tuple[Municipality, list[Municipality]]:
    """The municipality a page or API call shows, and the ones the user may switch to.

    The one rule for the dashboards (indicators) and the budget pages. With ``team_bound``, staff
    in a team (not a superuser) see their team's municipality and switch to nothing; everyone else
    (manager, finance, beheer) works for every municipality of the deployment and picks one
    (default: the first by name). ``bound``: an API key bound to ``municipality_id`` reads that
    one only (404 when the user may not see it). An unknown ``municipality_id`` is a 404. Checks
    no permission: the caller does.
    """
    if team_bound and user.team_id is not None and not user.is_superuser:
        own = Municipality.objects.get(teams__id=user.team_id)
        if bound and own.pk != municipality_id:
            raise Http404
        return own, []
    choices = list(Municipality.objects.order_by("name", "pk"))
    if not choices:
        raise Http404
    if municipality_id is None:
        return choices[0], choices
    for municipality in choices:
        if municipality.pk == municipality_id:
            return municipality, choices
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
    return User.objects.filter(team__in=teams, role__in=TEAM_ROLES, is_active=True)


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
    """``resident_list`` plus the current trajectory's instrument name, for the worklist page."""
    current_trajectory = (
        Trajectory.objects.filter(resident=OuterRef("pk"), ended_on__isnull=True)
        .order_by("-started_on", "-id")
        .values("instrument__name")[:1]
    )
    return resident_list(user=user).annotate(current_trajectory=Subquery(current_trajectory))


def resident_timeline(*, user: User, resident: Resident) -> list:
    """One chronological list (newest first) of everything in the dossier, in a fixed number of
    queries whatever the history length; plus entries from registered timeline providers."""
    from common.timeline import TimelineEntry, timeline_providers

    from .models import Application as _Application
    from .models import DebtCase, FraudInvestigation, LadderScore, OutflowEvent

    entries: list[TimelineEntry] = []
    for a in _Application.objects.filter(resident=resident):
        entries.append(
            TimelineEntry(
                a.received_on,
                "application",
                _("Aanvraag %(regime)s") % {"regime": a.get_regime_display()},
                a.get_outcome_display() if a.outcome else "",
            )
        )
    for g in GroupAssignment.objects.filter(resident=resident):
        entries.append(TimelineEntry(g.decided_on, "group", str(g.get_group_display()), g.reason))
    for t in Trajectory.objects.filter(resident=resident).select_related("instrument"):
        entries.append(
            TimelineEntry(
                t.started_on,
                "trajectory_start",
                _("Traject gestart: %(name)s") % {"name": t.instrument.name},
                t.provider,
                extra={
                    "trajectory_id": t.pk,
                    "open": t.ended_on is None,
                    "name": t.instrument.name,
                },
            )
        )
        if t.ended_on:
            entries.append(
                TimelineEntry(
                    t.ended_on,
                    "trajectory_end",
                    _("Traject afgesloten: %(name)s") % {"name": t.instrument.name},
                    t.get_result_display(),
                )
            )
    for c in ContactMoment.objects.filter(resident=resident):
        entries.append(
            TimelineEntry(
                c.occurred_on,
                "contact",
                _("Contact (%(channel)s)") % {"channel": c.get_channel_display()},
                c.summary,
            )
        )
    for s in LadderScore.objects.filter(resident=resident):
        entries.append(
            TimelineEntry(
                s.measured_on,
                "ladder",
                _("Participatieladder: trede %(step)s") % {"step": s.step},
                s.get_step_display(),
            )
        )
    for o in OutflowEvent.objects.filter(resident=resident):
        detail = ", ".join(
            x
            for x in [
                o.employer,
                o.sector,
                _("%(hours)s uur per week") % {"hours": o.hours_per_week}
                if o.hours_per_week
                else "",
            ]
            if x
        )
        entries.append(
            TimelineEntry(
                o.occurred_on,
                "outflow",
                _("Uitstroom (%(kind)s)") % {"kind": o.get_kind_display()},
                detail,
            )
        )
    for f in FraudInvestigation.objects.filter(resident=resident):
        entries.append(
            TimelineEntry(
                f.started_on,
                "fraud",
                _("Handhavingsonderzoek gestart"),
                f.get_signal_source_display(),
            )
        )
    for d in DebtCase.objects.filter(resident=resident):
        entries.append(TimelineEntry(d.applied_on, "debt", _("Schuldhulp aangemeld"), ""))
    for provider in timeline_providers():
        entries.extend(provider(resident))
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries
