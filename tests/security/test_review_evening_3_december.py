"""The security review of main (`83d0f8d`) in the afternoon of 3 December: the exact indicator
values in the admin, the processing log's grants after a migrate, the household members the
dossier shows, and expired sessions (docs/security.md, section 13)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from common import rls
from common.tasks import sessions_clear
from indicators.models import IndicatorValue
from privacy.models import ProcessingRecord
from privacy.pseudonym import resident_pseudonym
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_admin_shows_exact_indicator_values_only_to_who_sees_them_exactly(client):
    """HIGH: beheer held the admin's view permission on IndicatorValue and read the numerator
    of a cell every other channel hides from it (4 of amersfoort.bijstand_per_1000)."""
    municipality = factories.MunicipalityFactory()
    value = IndicatorValue.objects.create(
        municipality=municipality,
        code="outflow.to_work",
        period_kind="month",
        period_start=dt.date(2025, 5, 1),
        period_end=dt.date(2025, 5, 31),
        value=Decimal(4),
        numerator=Decimal(4),
        changed_at=timezone.now(),
        definition_version=1,
    )
    beheer = factories.UserFactory(beheer=True)
    beheer.user_permissions.add(Permission.objects.get(codename="view_indicatorvalue"))
    client.force_login(beheer)
    change = reverse("admin:indicators_indicatorvalue_change", args=[value.pk])
    changelist = reverse("admin:indicators_indicatorvalue_changelist")
    assert client.get(change).status_code == 403
    assert client.get(changelist).status_code == 403
    # the configuration beheer maintains in the same app stays open to it
    beheer.user_permissions.add(Permission.objects.get(codename="view_target"))
    assert client.get(reverse("admin:indicators_target_changelist")).status_code == 200
    client.force_login(factories.UserFactory(beheer=True, is_superuser=True))
    assert client.get(change).status_code == 200


def _privileges(role: str) -> tuple[bool, bool, bool]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege(%s, 'privacy_processingrecord', 'UPDATE'),"
            " has_table_privilege(%s, 'privacy_processingrecord', 'DELETE'),"
            " has_table_privilege(%s, 'privacy_processingrecord', 'INSERT')",
            [role, role, role],
        )
        return cursor.fetchone()


def test_a_migrate_leaves_the_application_role_only_reading_and_adding_to_the_log():
    """LOW: ``policies_apply`` (every post_migrate) granted UPDATE and DELETE on every table,
    the processing log included, undoing the revoke docs/privacy.md asks for."""
    role = rls.app_role()
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT UPDATE, DELETE ON privacy_processingrecord TO "{role}"')
    assert _privileges(role) == (True, True, True)
    rls.policies_apply()
    assert _privileges(role) == (False, False, True)


def test_the_dossier_logs_the_household_members_it_shows(client, team, consulent):
    """LOW: the dossier names every member of the household, also one guided by another team,
    and the processing log had the dossier's resident only."""
    household = factories.HouseholdFactory(municipality=team.municipality)
    resident = factories.ResidentFactory(household=household, team=team, consulent=consulent)
    other_team = factories.TeamFactory(municipality=team.municipality)
    partner = factories.ResidentFactory(
        household=household, team=other_team, household_role="partner"
    )
    client.force_login(consulent)
    page = client.get(reverse("caseload:dossier", args=[resident.pk]))
    assert page.status_code == 200 and escape(partner.last_name) in page.content.decode()
    record = ProcessingRecord.objects.filter(user_id=consulent.pk).latest("pk")
    assert {resident_pseudonym(resident.pk), resident_pseudonym(partner.pk)} <= set(record.subjects)


def test_expired_sessions_are_deleted_by_the_beat_job():
    """MEDIUM: a session may hold an abandoned registration's BSN and BRP answer, and Django
    never deletes expired session rows by itself."""
    from config.schedule import beat_schedule

    expired, current = SessionStore(), SessionStore()
    for store in (expired, current):
        store["registers.new_application"] = {"bsn": "111222333"}
        store.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - dt.timedelta(minutes=1)
    )
    assert sessions_clear() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]
    entries = beat_schedule(processing_log_checkpoint_minutes=60).values()
    assert "common.sessions_clear" in {entry["task"] for entry in entries}
