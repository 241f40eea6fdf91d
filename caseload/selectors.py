"""Reads from the caseload. Every read takes the requesting user, so access scoping (and, later,
access logging) lives in one place."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from .models import ContactMoment, GroupAssignment, Instrument, Resident, Team, Trajectory, User


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


def resident_get(*, user: User, resident_id: int) -> Resident:
    """One resident's record, or 404 when it does not exist or ``user`` may not see it."""
    try:
        return (
            Resident.objects.visible_to(user)
            .select_related("household__district", "team", "consulent", "municipality")
            .get(pk=resident_id)
        )
    except Resident.DoesNotExist as exc:
        raise Http404 from exc


def resident_current_group(*, resident: Resident) -> GroupAssignment | None:
    return resident.group_assignments.filter(ended_on__isnull=True).first()


def resident_trajectories(*, user: User, resident_id: int) -> QuerySet[Trajectory]:
    resident = resident_get(user=user, resident_id=resident_id)
    return resident.trajectories.select_related("instrument").order_by("-started_on", "-id")


def instrument_list(*, active_only: bool = True) -> QuerySet[Instrument]:
    qs = Instrument.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def team_list(*, user: User) -> QuerySet[Team]:
    """Teams of the user's municipality (a user belongs to the municipality of their team)."""
    qs = Team.objects.all()
    if user.team_id is not None:
        qs = qs.filter(municipality_id=user.team.municipality_id)
    return qs
