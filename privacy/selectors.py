"""Reads of the privacy app. The processing log is for the privacy officer only; the weekly
break-the-glass review also for the teamleider (their team's members)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.http import Http404

from caseload.models import Application, Benefit, Resident, Role, User
from common.personal_data import personal_data_holders

from .models import AnonymisedResident, BreakGlassGrant, ProcessingRecord
from .permissions import PrivacyPermission
from .policy import retention_years
from .pseudonym import person_pseudonym, resident_pseudonym


def is_privacy_officer(user) -> bool:
    """Only the privacy officer reads the processing log (DOMAIN.md section 7): not even a
    superuser, who otherwise holds every permission."""
    return not getattr(user, "is_superuser", False) and user.has_perm(
        PrivacyPermission.VIEW_PROCESSING_LOG
    )


def require_privacy_officer(user) -> None:
    if not is_privacy_officer(user):
        raise PermissionDenied


# --- The log ----------------------------------------------------------------------------------


def processing_log_for_resident(*, user: User, resident_id: int) -> QuerySet[ProcessingRecord]:
    """Every record naming the resident (as the subject of a page or on a list), with the BRP
    look-ups of their BSN before they were registered, newest first."""
    require_privacy_officer(user)
    names = [resident_pseudonym(resident_id)]
    bsn = Resident.objects.filter(pk=resident_id).values_list("bsn", flat=True).first()
    if bsn:
        names.append(person_pseudonym(bsn))
    return ProcessingRecord.objects.filter(subjects__overlap=names).order_by("-id")


def processing_log_for_person(
    *, user: User, bsn: str = "", pseudonym: str = "", up_to: int | None = None
) -> QuerySet[ProcessingRecord]:
    """The records naming a person who is no resident, by BSN or by the pseudonym of the BSN
    (a BRP look-up of someone whose registration was abandoned), newest first; with ``up_to``
    only those up to that record (the pages of one search)."""
    require_privacy_officer(user)
    pseudonym = person_pseudonym(bsn) if bsn else pseudonym
    if not pseudonym:
        return ProcessingRecord.objects.none()
    records = ProcessingRecord.objects.filter(subjects__contains=[pseudonym])
    if up_to is not None:
        records = records.filter(pk__lte=up_to)
    return records.order_by("-id")


def person_of_search(*, user: User, search_id: int) -> str | None:
    """The pseudonym of the person that ``user``'s own search ``search_id`` found (a search
    of the log for someone who is no resident), or None."""
    require_privacy_officer(user)
    search = (
        ProcessingRecord.objects.filter(
            pk=search_id, user_id=user.pk, object_type="processing_log_search"
        )
        .values_list("subjects", flat=True)
        .first()
    )
    return search[0] if search and len(search) == 1 else None


def processing_log_for_user(*, user: User, staff_id: int) -> QuerySet[ProcessingRecord]:
    require_privacy_officer(user)
    return ProcessingRecord.objects.filter(user_id=staff_id).order_by("-id")


def resident_for_log(*, user: User, resident_id: int | None = None, bsn: str | None = None):
    """The resident whose log the privacy officer asks for (any team), or 404."""
    require_privacy_officer(user)
    qs = Resident.objects.select_related("team")
    resident = qs.filter(bsn=bsn).first() if bsn else qs.filter(pk=resident_id).first()
    if resident is None:
        raise Http404
    return resident


_STAFF_NUMBER = re.compile(r"[0-9]{1,18}")


def staff_for_log(*, user: User, staff: str) -> User | None:
    require_privacy_officer(user)
    qs = User.objects.select_related("team")
    found = qs.filter(username=staff).first()
    # ASCII digits only: "²".isdigit() is True but int("²") fails (issue 12, finding 10)
    if found is None and _STAFF_NUMBER.fullmatch(staff):
        found = qs.filter(pk=int(staff)).first()
    return found


# --- Break-the-glass review -------------------------------------------------------------------


def week_bounds(week_start: dt.date) -> tuple[dt.date, dt.date]:
    monday = week_start - dt.timedelta(days=week_start.weekday())
    return monday, monday + dt.timedelta(days=7)


def review_week(value: str, *, today: dt.date) -> dt.date | None:
    """The Monday of the week the review shows (``YYYY-MM-DD`` of any day in it; empty: this
    week), or None when the value is no date or the week, its predecessor or its successor falls
    outside the calendar (issue 12, finding 10)."""
    if not value:
        return week_bounds(today)[0]
    try:
        monday, next_monday = week_bounds(dt.date.fromisoformat(value))
    except (ValueError, OverflowError):
        return None
    week = dt.timedelta(days=7)
    if monday < dt.date.min + week or next_monday > dt.date.max - week:
        return None  # the page links to the previous and the next week
    return monday


def break_glass_review(*, user: User, week_start: dt.date) -> QuerySet[BreakGlassGrant]:
    """The week's grants: all for the privacy officer, the own team's members for a teamleider."""
    monday, next_monday = week_bounds(week_start)
    qs = (
        BreakGlassGrant.objects.select_related("user", "user_team", "resident__team", "reviewed_by")
        .filter(granted_at__date__gte=monday, granted_at__date__lt=next_monday)
        .order_by("-granted_at", "-id")
    )
    if is_privacy_officer(user):
        return qs
    if (
        getattr(user, "role", None) == Role.TEAMLEIDER
        and user.team_id is not None
        and user.access_granted
    ):
        return qs.filter(user_team_id=user.team_id)
    raise PermissionDenied


# --- Retention --------------------------------------------------------------------------------


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    return day - relativedelta(years=years)


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    return day + relativedelta(years=years)


@dataclass(frozen=True)
class RetentionDue:
    resident_id: int
    last_closed_on: dt.date
    due_on: dt.date


def _closed_dossiers() -> QuerySet[Resident]:
    """Residents whose household has no open benefit and who have no pending application,
    annotated with ``last_closed_on``: the last benefit end or application decision."""
    open_benefit = Benefit.objects.filter(household_id=OuterRef("household_id"), end_date=None)
    pending = Application.objects.filter(
        resident_id=OuterRef("pk"), outcome=Application.Outcome.PENDING
    )
    last_end = (
        Benefit.objects.filter(household_id=OuterRef("household_id"))
        .values("household_id")
        .annotate(m=Max("end_date"))
        .values("m")
    )
    last_decided = (
        Application.objects.filter(resident_id=OuterRef("pk"))
        .values("resident_id")
        .annotate(m=Max("decided_on"))
        .values("m")
    )
    return (
        Resident.objects.filter(~Exists(open_benefit), ~Exists(pending))
        .annotate(last_closed_on=Greatest(Subquery(last_end), Subquery(last_decided)))
        .filter(last_closed_on__isnull=False)
    )


def retention_overdue(*, today: dt.date) -> list[RetentionDue]:
    """Closed dossiers whose destruction date (last closed + PRIVACY_RETENTION_YEARS) has come,
    not yet anonymised. One query."""
    years = retention_years()
    rows = (
        _closed_dossiers()
        .exclude(pk__in=AnonymisedResident.objects.values("resident_id"))
        # django-stubs cannot see the annotation through the QuerySet[Resident] return type
        .filter(last_closed_on__lte=years_before(today, years))  # type: ignore[misc]
        .order_by("pk")
        .values_list("pk", "last_closed_on")
    )
    return [RetentionDue(pk, closed, years_after(closed, years)) for pk, closed in rows]


def resident_destruction_date(*, resident_id: int) -> dt.date | None:
    """The date the dossier is to be anonymised, or None while it is open."""
    dossiers = _closed_dossiers().filter(pk=resident_id)
    # django-stubs cannot see the annotation through the QuerySet[Resident] return type
    row = dossiers.values_list("last_closed_on", flat=True)  # type: ignore[misc]
    closed = row.first()
    return years_after(closed, retention_years()) if closed else None


# --- Subject access (AVG inzage) --------------------------------------------------------------


def subject_access_data(*, user: User, resident_id: int) -> dict:
    """Everything held on one resident, section per kind of record (each app that holds
    personal data contributes its sections, :mod:`common.personal_data`), plus who processed
    it."""
    require_privacy_officer(user)
    resident = resident_for_log(user=user, resident_id=resident_id)
    log = processing_log_for_resident(user=user, resident_id=resident_id).order_by("id")
    sections: dict[str, list[dict]] = {}
    for holder in personal_data_holders():
        sections.update(holder.sections(resident))
    sections["verwerkingen"] = [log_row(r) for r in log]
    destruction = resident_destruction_date(resident_id=resident.pk)
    return {
        "inwoner_id": resident.pk,
        "bewaren_tot": destruction.isoformat() if destruction else None,
        "secties": sections,
    }


LOG_COLUMNS = [
    ("id", "nummer"),
    ("occurred_at", "tijdstip_utc"),
    ("username", "medewerker"),
    ("role", "rol"),
    ("team_name", "team"),
    ("accountable", "verantwoordelijk"),
    ("action", "handeling"),
    ("object_type", "soort_gegeven"),
    ("object_id", "id_gegeven"),
    ("purpose", "doel"),
    ("reason", "reden"),
    ("break_glass", "doorbraak"),
    ("route", "route"),
    ("route_label", "onderdeel"),
    ("request_id", "verzoek_id"),
]


def log_row(record: ProcessingRecord) -> dict:
    """One record for the exports, in the screen's words (the walk of 4 December: the exports
    said ``search``/``read`` and ``False`` where the screen says "Zoeken / lijst")."""
    row = {label: getattr(record, attr) for attr, label in LOG_COLUMNS}
    row["tijdstip_utc"] = record.occurred_at.astimezone(dt.UTC).isoformat()
    row["handeling"] = str(record.get_action_display())
    row["doel"] = str(record.get_purpose_display())
    row["doorbraak"] = "ja" if record.break_glass else "nee"
    return row


def access_approval_list(*, user: User) -> tuple[QuerySet[User], QuerySet[User]]:
    """For the privacy officer: (accounts whose access waits for approval, oldest change
    first; the last 50 decided, newest first)."""
    require_privacy_officer(user)
    qs = User.objects.select_related(
        "team", "team__municipality", "municipality", "access_changed_by", "access_decided_by"
    )
    pending = qs.filter(access_pending=True).order_by("access_changed_at", "pk")
    decided = qs.filter(access_decided_at__isnull=False).order_by("-access_decided_at", "-pk")
    return pending, decided[:50]
