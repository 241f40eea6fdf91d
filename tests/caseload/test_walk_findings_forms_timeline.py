"""Outside tester's walk, second round: the contact, trajectory-start and outflow-correction forms
name every error on the first submit (the services still refuse with the first one, for the
API); the correction history shows decimals the Dutch way; an hours field's error gives an
example that fits hours; a plan's action is shown once on the dossier timeline, dated j-n-Y."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from caseload import selectors, services
from caseload.forms import OutflowForm, TrajectoryStartForm
from common import clock
from common.exceptions import DomainError
from intake import services as intake_services
from intake.selectors import intake_timeline_entries
from tests import factories

pytestmark = pytest.mark.django_db
D = dt.date
REQUIRED = "Dit veld is vereist."
FUTURE_CONTACT = "De datum van het contact mag niet in de toekomst liggen."
HOURS_EXAMPLE = "Vul een getal in, bijvoorbeeld 24,5."
PLANNED_END = "De geplande einddatum ligt voor de startdatum."
REASON_REQUIRED = "Geef een reden voor de correctie."
HOURS_WORK = "Vul het aantal uren per week in (meer dan 0, hoogstens 80)."


@pytest.fixture
def client_c(client, consulent):
    client.force_login(consulent)
    return client


def _fact_url(name, resident, fact_type, fact_id):
    return reverse(
        f"caseload:{name}",
        kwargs={"resident_id": resident.pk, "fact_type": fact_type, "fact_id": fact_id},
    )


def _outflow(resident, consulent, hours=Decimal(20)):
    factories.BenefitFactory(applicant=resident, start_date=D(2024, 1, 1))
    return services.outflow_record(
        resident=resident,
        kind="volledig",
        reason="werk",
        occurred_on=D(2025, 5, 1),
        by=consulent,
        hours_per_week=hours,
        contract_type="vast",
        employer="Zorggroep",
    )


def _correction_detail(resident, consulent) -> str:
    [entry] = [
        e
        for e in selectors.resident_timeline(user=consulent, resident=resident)
        if e.kind == "correction"
    ]
    return entry.detail


# --- 1a. Contact: no channel and a date in the future, both at once ----------------------------


def test_contact_form_names_channel_and_future_date_together(client_c, resident):
    future = clock.today() + dt.timedelta(days=3)
    r = client_c.post(
        reverse("caseload:contact_record", args=[resident.pk]),
        {"occurred_on": future.isoformat(), "channel": "", "summary": "Gebeld over de cv"},
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert "id_channel_error" in html and "Kies een kanaal." in html
    assert "id_occurred_on_error" in html and FUTURE_CONTACT in html
    assert f'value="{future.isoformat()}"' in html and "Gebeld over de cv" in html
    assert not resident.contacts.exists()


def test_contact_service_still_refuses_with_the_first_problem(resident, consulent):
    future = clock.today() + dt.timedelta(days=3)
    with pytest.raises(DomainError) as exc:
        services.contact_record(resident=resident, occurred_on=future, channel="", by=consulent)
    assert exc.value.field == "channel"
    with pytest.raises(DomainError) as exc:
        services.contact_record(
            resident=resident, occurred_on=future, channel="telefoon", by=consulent
        )
    assert (exc.value.code, exc.value.field) == ("future_date", "occurred_on")


def test_contact_correction_names_the_future_date_with_the_missing_reason(
    client_c, resident, consulent
):
    contact = factories.ContactMomentFactory(resident=resident, by=consulent)
    future = clock.today() + dt.timedelta(days=3)
    r = client_c.post(
        _fact_url("fact_correct", resident, "contact", contact.pk),
        {"occurred_on": future.isoformat(), "channel": contact.channel, "correction_reason": ""},
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert REASON_REQUIRED in html and FUTURE_CONTACT in html


# --- 1b. Trajectory start: hours that are no number and an end before the start, at once -------


def test_trajectory_start_names_hours_and_planned_end_together(client_c, resident):
    instrument = factories.InstrumentFactory(name="Werkfit")
    start = clock.today() - dt.timedelta(days=2)
    end = start - dt.timedelta(days=10)
    r = client_c.post(
        reverse("caseload:trajectory_start", args=[resident.pk]),
        {
            "instrument": instrument.pk,
            "provider": "WSP",
            "started_on": start.isoformat(),
            "planned_end_on": end.isoformat(),
            "hours_per_week": "abc",
            "banenafspraak_sector": "",
        },
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert "id_hours_per_week_error" in html and HOURS_EXAMPLE in html
    assert "id_planned_end_on_error" in html and PLANNED_END in html
    assert 'value="abc"' in html and 'value="WSP"' in html
    assert not resident.trajectories.exists()


def test_trajectory_start_form_hours_out_of_range_and_planned_end_together():
    instrument = factories.InstrumentFactory()
    form = TrajectoryStartForm(
        {
            "instrument": instrument.pk,
            "started_on": (clock.today() - dt.timedelta(days=30)).isoformat(),
            "planned_end_on": (clock.today() - dt.timedelta(days=60)).isoformat(),
            "hours_per_week": "90",
        },
        instruments=selectors.instrument_list(),
    )
    assert not form.is_valid()
    assert set(form.errors) == {"hours_per_week", "planned_end_on"}


def test_trajectory_start_service_still_refuses_with_the_first_problem(resident, consulent):
    instrument = factories.InstrumentFactory()
    with pytest.raises(DomainError) as exc:
        services.trajectory_start(
            resident=resident,
            instrument=instrument,
            started_on=D(2025, 3, 1),
            planned_end_on=D(2025, 2, 1),
            hours_per_week=Decimal(90),
            by=consulent,
        )
    assert exc.value.field == "planned_end_on"
    with pytest.raises(DomainError) as exc:
        services.trajectory_start(
            resident=resident,
            instrument=instrument,
            started_on=D(2025, 3, 1),
            hours_per_week=Decimal(90),
            by=consulent,
        )
    assert exc.value.field == "hours_per_week"


# --- 1c. Outflow correction: no reason and 0 hours, at once ------------------------------------


def test_outflow_correction_names_reason_and_hours_together(client_c, resident, consulent):
    event = _outflow(resident, consulent)
    r = client_c.post(
        _fact_url("fact_correct", resident, "uitstroom", event.pk),
        {
            "occurred_on": "2025-05-01",
            "hours_per_week": "0",
            "employer": "Zorggroep BV",
            "contract_type": "vast",
            "correction_reason": "",
        },
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert "id_correction_reason_error" in html and REASON_REQUIRED in html
    assert "id_hours_per_week_error" in html and HOURS_WORK in html
    assert 'value="Zorggroep BV"' in html
    event.refresh_from_db()
    assert event.hours_per_week == Decimal(20) and event.employer == "Zorggroep"


def test_outflow_correct_service_still_refuses_with_the_first_problem(resident, consulent):
    event = _outflow(resident, consulent)
    with pytest.raises(DomainError) as exc:
        services.outflow_correct(
            event=event, by=consulent, reason="", changes={"hours_per_week": Decimal(0)}
        )
    assert exc.value.field == "correction_reason"
    with pytest.raises(DomainError) as exc:
        services.outflow_correct(
            event=event,
            by=consulent,
            reason="Tikfout",
            changes={"hours_per_week": Decimal(0), "occurred_on": clock.today() + dt.timedelta(3)},
        )
    assert (exc.value.code, exc.value.field) == ("hours", "hours_per_week")


# --- 2. The correction history: decimals the Dutch way -----------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "shown"),
    [
        (Decimal(20), Decimal(24), "uren per week 20 → 24"),
        (Decimal("20.5"), Decimal(24), "uren per week 20,5 → 24"),
        (Decimal(24), Decimal("32.5"), "uren per week 24 → 32,5"),
    ],
)
def test_corrected_hours_are_shown_the_dutch_way(resident, consulent, before, after, shown):
    event = _outflow(resident, consulent, hours=before)
    services.outflow_correct(
        event=event, by=consulent, reason="Tikfout", changes={"hours_per_week": after}
    )
    detail = _correction_detail(resident, consulent)
    assert shown in detail
    assert "20.0" not in detail and "24.0" not in detail and "20.5" not in detail


def test_withdrawn_outflow_hours_and_corrected_cost_are_shown_the_dutch_way(resident, consulent):
    event = _outflow(resident, consulent, hours=Decimal("32.5"))
    services.outflow_withdraw(event=event, by=consulent, reason="Baan ging niet door")
    assert "uren per week 32,5" in _correction_detail(resident, consulent)
    t = factories.TrajectoryFactory(
        resident=resident, created_by=consulent, started_on=D(2025, 3, 1), cost=Decimal("1250")
    )
    services.trajectory_correct(
        trajectory=t, by=consulent, reason="Tikfout", changes={"cost": Decimal("1300.50")}
    )
    [entry] = [
        e
        for e in selectors.resident_timeline(user=consulent, resident=resident)
        if e.kind == "correction" and e.title.startswith("Traject")
    ]
    assert "kosten € 1.250,00 → € 1.300,50" in entry.detail


# --- 3. An hours field's example fits hours; an amount keeps its own ---------------------------


def test_hours_fields_give_an_hours_example():
    for form in (
        OutflowForm({"hours_per_week": "abc"}),
        TrajectoryStartForm({"hours_per_week": "abc"}, instruments=selectors.instrument_list()),
    ):
        assert form.errors["hours_per_week"] == [HOURS_EXAMPLE]


# --- 4. A plan's action once on the timeline, dated j-n-Y --------------------------------------


def _plan(resident, consulent, due):
    return intake_services.plan_create(
        resident=resident,
        by=consulent,
        goals="Werk binnen een jaar",
        commitments="Solliciteert",
        actions=[{"description": "Sollicitatie", "due_on": due, "owner": "inwoner"}],
    )


def test_plan_action_is_listed_once_with_one_date_format(client_c, resident, consulent):
    due = D(clock.today().year + 2, 1, 15)
    _plan(resident, consulent, due)
    label = f"Sollicitatie (uiterlijk 15-1-{due.year}, Inwoner)"
    [entry] = [e for e in intake_timeline_entries(resident) if e.kind == "plan"]
    assert "Sollicitatie" not in entry.detail and entry.detail.startswith("Doelen: ")
    assert [f["label"] for f in entry.extra["facts"]] == [label]
    html = client_c.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert f"15-01-{due.year}" not in html
    # once visibly (in the list item), twice more in the links' hidden text
    assert html.count(f"<li>{label} ") == 1 and html.count(label) == 3


def test_plan_action_is_listed_without_the_correct_permission(resident, consulent):
    """The actions are no longer in the detail: a reader without ``correct_facts`` still sees
    them, without the links."""
    due = D(clock.today().year + 2, 1, 15)
    _plan(resident, consulent, due)
    [entry] = [e for e in intake_timeline_entries(resident) if e.kind == "plan"]
    html = Template("{% load caseload_tags %}{% fact_actions e 1 False %}").render(
        Context({"e": entry})
    )
    assert f"<li>Sollicitatie (uiterlijk 15-1-{due.year}, Inwoner)</li>" in html
    assert "Corrigeren" not in html
