"""Issue 14, "see at a glance": the dossier header (caseload.selectors.dossier_header)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseload import models
from intake.models import PlanAction, PlanVanAanpak
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def client_c(client, consulent):
    client.force_login(consulent)
    return client


def _header(client, resident):
    r = client.get(reverse("caseload:dossier", args=[resident.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    start = html.index('id="dossier-header"')
    return html[start : html.index("</section>", start)]


def _plan(resident, by, **kw):
    return PlanVanAanpak.objects.create(
        resident=resident,
        goals="Werk vinden",
        commitments="Solliciteren",
        business_case_year=TODAY.year,
        created_by=by,
        **kw,
    )


def test_finding_dossier_header_shows_where_the_resident_stands(client_c, resident, consulent):
    """Issue 14, dossier header: current group (since when), current trajectory, herbeoordeling,
    latest ladder step, plan status and open actions, last contact."""
    factories.GroupAssignmentFactory(
        resident=resident,
        group=2,
        decided_by=consulent,
        decided_on=TODAY - dt.timedelta(days=40),
        reassess_on=TODAY + dt.timedelta(days=100),
    )
    inst = factories.InstrumentFactory(name="Werkfit")
    factories.TrajectoryFactory(
        resident=resident,
        instrument=inst,
        created_by=consulent,
        started_on=TODAY - dt.timedelta(days=10),
    )
    factories.LadderScoreFactory(resident=resident, by=consulent, step=3, measured_on=TODAY)
    factories.LadderScoreFactory(
        resident=resident, by=consulent, step=2, measured_on=TODAY - dt.timedelta(days=300)
    )
    factories.ContactMomentFactory(
        resident=resident, by=consulent, occurred_on=TODAY - dt.timedelta(days=3)
    )
    plan = _plan(resident, consulent)
    PlanAction.objects.create(plan=plan, description="CV maken", due_on=TODAY - dt.timedelta(1))
    PlanAction.objects.create(plan=plan, description="Gesprek", due_on=TODAY + dt.timedelta(9))
    PlanAction.objects.create(
        plan=plan, description="Intake", due_on=TODAY - dt.timedelta(9), done_on=TODAY
    )
    html = _header(client_c, resident)
    since = (TODAY - dt.timedelta(days=40)).strftime("%-d-%-m-%Y")
    assert "Groep 2" in html and f"sinds {since}" in html
    assert "Werkfit" in html and "lopend sinds" in html
    assert (TODAY + dt.timedelta(days=100)).strftime("%-d-%-m-%Y") in html
    assert "verlopen" not in html
    assert "trede 3" in html.lower() or "Trede 3" in html or ">3" in html
    assert "2 open acties" in html and "1 over datum" in html
    assert "niet ondertekend" in html
    assert (TODAY - dt.timedelta(days=3)).strftime("%-d-%-m-%Y") in html


def test_finding_dossier_header_flags_overdue_reassessment(client_c, resident, consulent):
    """Issue 14, dossier header: an overdue herbeoordeling is flagged with a status badge."""
    factories.GroupAssignmentFactory(
        resident=resident, decided_by=consulent, reassess_on=TODAY - dt.timedelta(days=1)
    )
    html = _header(client_c, resident)
    assert "utrecht-status-badge--danger" in html and "verlopen" in html


def test_finding_dossier_header_planned_trajectory_is_gepland(client_c, resident, consulent):
    """Issue 14, dossier header: a trajectory that starts after today is "gepland", not the
    current one; one that runs today wins."""
    inst = factories.InstrumentFactory(name="Toekomstig")
    factories.TrajectoryFactory(
        resident=resident,
        instrument=inst,
        created_by=consulent,
        started_on=TODAY + dt.timedelta(days=20),
    )
    html = _header(client_c, resident)
    assert "Toekomstig" in html and "gepland vanaf" in html and "lopend sinds" not in html
    factories.TrajectoryFactory(
        resident=resident,
        instrument=factories.InstrumentFactory(name="Nu"),
        created_by=consulent,
        started_on=TODAY - dt.timedelta(days=2),
    )
    html = _header(client_c, resident)
    assert "Nu" in html and "lopend sinds" in html and "Toekomstig" not in html


def test_finding_dossier_header_empty_dossier(client_c, resident):
    """Issue 14, dossier header: a new resident shows what is missing, not blanks."""
    html = _header(client_c, resident)
    assert "Nog niet ingedeeld" in html and "Geen lopend traject" in html
    assert "Nog geen plan" in html and "Nog geen contact" in html
    # said once, as the warning badge (the walk of 4 December: "Nog geen contact [geen contact]")
    assert ">geen contact<" not in html and html.count("Nog geen contact") == 1


def test_a_closed_dossier_names_its_last_group_and_no_overdue_contact(
    client_c, resident, consulent
):
    """The walk of 4 December: a dossier whose benefit and group ended years ago read "Nog niet
    ingedeeld" and "langer dan 12 maanden geleden" beside a timeline with its group."""
    long_ago = TODAY - dt.timedelta(days=3 * 365)
    factories.BenefitFactory(
        household=resident.household,
        applicant=resident,
        start_date=long_ago - dt.timedelta(days=400),
        end_date=long_ago,
        end_reason=models.CbsEndReason.EMPLOYMENT,
    )
    factories.GroupAssignmentFactory(
        resident=resident,
        group=1,
        decided_by=consulent,
        decided_on=long_ago - dt.timedelta(days=300),
        ended_on=long_ago,
    )
    factories.ContactMomentFactory(
        resident=resident, by=consulent, occurred_on=long_ago - dt.timedelta(days=10)
    )
    html = _header(client_c, resident)
    assert "Nog niet ingedeeld" not in html
    assert "Groep 1" in html and f"tot {long_ago.strftime('%-d-%-m-%Y')}" in html
    assert "langer dan 12 maanden geleden" not in html
    # on benefit again, the old contact is overdue
    factories.BenefitFactory(
        household=resident.household, applicant=resident, start_date=TODAY, end_date=None
    )
    assert "langer dan 12 maanden geleden" in _header(client_c, resident)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_dossier_header_query_count_fixed(client_c, resident, consulent):
    """The header adds a fixed number of queries, whatever the number of plans and actions."""
    url = reverse("caseload:dossier", args=[resident.pk])
    factories.GroupAssignmentFactory(resident=resident, decided_by=consulent)
    plan = _plan(resident, consulent)
    PlanAction.objects.create(plan=plan, description="a", due_on=TODAY)
    small = _count(client_c, url)
    for i in range(10):
        plan = _plan(resident, consulent)
        for j in range(3):
            PlanAction.objects.create(plan=plan, description=f"{i}{j}", due_on=TODAY)
        day = TODAY - dt.timedelta(days=i + 1)
        factories.LadderScoreFactory(resident=resident, by=consulent, measured_on=day)
        factories.ContactMomentFactory(resident=resident, by=consulent, occurred_on=day)
        factories.TrajectoryFactory(resident=resident, created_by=consulent)
    assert _count(client_c, url) == small


def test_finding_dossier_header_phone_and_email(client_c, resident, consulent):
    """Issue 14, dossier header: phone and e-mail, recorded through the dossier (a bad value
    comes back with what was typed and a Dutch message)."""
    html = _header(client_c, resident)
    assert "Telefoon" in html and "onbekend" in html
    url = reverse("caseload:contact_details", args=[resident.pk])
    assert url in html
    r = client_c.post(url, {"phone": "bel mij", "email": "geen-adres"})
    assert r.status_code == 422
    page = r.content.decode()
    assert 'value="bel mij"' in page and "geldig e-mailadres" in page
    assert "telefoonnummer in" in page
    r = client_c.post(url, {"phone": "06 12345678", "email": "f.zwartjes@example.nl"})
    assert r.status_code == 302
    html = _header(client_c, resident)
    assert 'href="tel:0612345678"' in html and "mailto:f.zwartjes@example.nl" in html


def test_the_dossier_shows_the_recorded_number_of_minor_children(client_c, resident):
    """The walk of 3 December: the BRP's three children were saved as a number that no page
    showed."""
    models.Household.objects.filter(pk=resident.household_id).update(children_count=3)
    html = client_c.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert re.search(r"Minderjarige kinderen</dt><dd[^>]*>3</dd>", html)


def test_the_dossier_says_children_are_counted_not_listed(client_c, resident):
    """The walk of 4 December: "Minderjarige kinderen 3" beside a member list of one read as
    missing children."""
    page = client_c.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert 'id="children-note"' not in page
    resident.household.children_count = 3
    resident.household.save(update_fields=["children_count"])
    page = client_c.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert "Het huishouden heeft 3 minderjarige kinderen" in page
    assert "alleen als het zelf als inwoner is vastgelegd" in page
