"""The new user's walk of 3 December (night): S2 a choice that records a fact starts empty and
is required (closing a trajectory recorded "Uitstroom naar werk" nobody chose); S4 no fact about
a resident dated before the resident's birth, and a birth date of at most 120 years ago; S8 no
WW prevention melding beside a running benefit; M6 the decision correction refuses a benefit
start in the future and names every broken rule at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from caseload import services
from caseload.forms import (
    ContactForm,
    LadderForm,
    OutflowForm,
    TrajectoryCloseForm,
    WwPreventionOutcomeForm,
)
from caseload.models import (
    Application,
    GroupAssignment,
    LadderScore,
    OutflowEvent,
    Resident,
    Trajectory,
)
from common import clock
from common.exceptions import DomainError
from tests import factories

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 12, 3)
BORN = D(1985, 6, 15)  # the factory's birth date
BEFORE_BIRTH = D(1900, 1, 1)
REASON = "Verkeerd jaar overgenomen"


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def client_c(client, consulent):
    client.force_login(consulent)
    return client


def _nothing_chosen(html: str, name: str) -> bool:
    """The select ``name`` opens on an empty first option and no other option is selected (a
    browser shows the first option of a select as chosen when none is marked)."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select is not None, name
    values = re.findall(r'<option value="([^"]*)"', select.group(0))
    selected = re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(0))
    return values[0] == "" and set(selected) <= {""}


def _fact_url(resident, fact_type, fact_id):
    return reverse(
        "caseload:fact_correct",
        kwargs={"resident_id": resident.pk, "fact_type": fact_type, "fact_id": fact_id},
    )


# --- S2: nothing chosen for the consulent ------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "name"),
    [
        (TrajectoryCloseForm, "result"),
        (OutflowForm, "kind"),
        (OutflowForm, "reason"),
        (ContactForm, "channel"),
        (LadderForm, "step"),
        (WwPreventionOutcomeForm, "outcome"),
    ],
)
def test_a_choice_that_records_a_fact_starts_empty(form, name):
    assert form.base_fields[name].choices[0][0] == ""


def test_closing_a_trajectory_without_a_result_is_refused_and_keeps_the_date(
    client_c, resident, consulent
):
    trajectory = factories.TrajectoryFactory(
        resident=resident, created_by=consulent, started_on=D(2026, 1, 5)
    )
    url = reverse("caseload:trajectory_close", args=[resident.pk, trajectory.pk])
    assert _nothing_chosen(client_c.get(url).content.decode(), "result")
    r = client_c.post(url, {"ended_on": "2026-11-30"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "id_result_error" in html and "Kies een resultaat." in html
    assert 'value="2026-11-30"' in html
    trajectory.refresh_from_db()
    assert (trajectory.ended_on, trajectory.result) == (None, "")


def test_the_close_form_of_a_closed_trajectory_says_so_on_the_dossier(
    client_c, resident, consulent
):
    """The walk of 4 December: the close form of a trajectory closed meanwhile (the browser's
    back button) was a bare 404; it sends the user to the dossier with what happened, and a
    second close changes nothing."""
    trajectory = factories.TrajectoryFactory(
        resident=resident, created_by=consulent, started_on=D(2026, 1, 5)
    )
    url = reverse("caseload:trajectory_close", args=[resident.pk, trajectory.pk])
    first = client_c.post(url, {"ended_on": "2026-11-30", "result": "werk"})
    assert first.status_code == 302
    for again in (
        client_c.get(url),
        client_c.post(url, {"ended_on": "2026-12-01", "result": "overig"}),
    ):
        assert again.status_code == 302
        assert again["Location"] == reverse("caseload:dossier", args=[resident.pk])
    page = client_c.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert "Dit traject is al afgesloten op 30-11-2026." in page
    trajectory.refresh_from_db()
    assert (trajectory.ended_on, trajectory.result) == (D(2026, 11, 30), "werk")
    other = reverse("caseload:trajectory_close", args=[resident.pk, 10**9])
    assert client_c.get(other).status_code == 404


def test_outflow_form_chooses_neither_kind_nor_reason(client_c, resident, open_benefit):
    url = reverse("caseload:outflow_record", args=[resident.pk])
    html = client_c.get(url).content.decode()
    assert _nothing_chosen(html, "kind") and _nothing_chosen(html, "reason")
    r = client_c.post(url, {"occurred_on": "2026-11-30", "employer": "Zorggroep"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "Kies volledige of gedeeltelijke uitstroom." in html
    assert "Kies een reden van uitstroom." in html
    assert 'value="Zorggroep"' in html
    assert not OutflowEvent.objects.filter(resident=resident).exists()


def test_partial_outflow_is_work_without_choosing_the_reason(client_c, resident, open_benefit):
    r = client_c.post(
        reverse("caseload:outflow_record", args=[resident.pk]),
        {
            "kind": "gedeeltelijk",
            "occurred_on": "2026-11-30",
            "hours_per_week": "16",
            "contract_type": "tijdelijk",
        },
    )
    assert r.status_code == 302
    assert OutflowEvent.objects.get(resident=resident).reason == OutflowEvent.Reason.WORK


def test_ladder_without_a_step_is_refused(client_c, resident):
    url = reverse("caseload:ladder_record", args=[resident.pk])
    assert _nothing_chosen(client_c.get(url).content.decode(), "step")
    r = client_c.post(url, {"measured_on": "2026-11-30"})
    assert r.status_code == 422
    assert "Kies een trede van 1 tot en met 6." in r.content.decode()
    assert not LadderScore.objects.filter(resident=resident).exists()


def test_ww_prevention_outcome_is_not_preselected(resident):
    application = services.application_register(
        resident=resident, received_on=D(2026, 11, 2), prevention_route="ww_coaching"
    )
    form = WwPreventionOutcomeForm(
        {"application": application.pk, "decided_on": "2026-11-30"},
        applications=Application.objects.filter(pk=application.pk),
    )
    assert not form.is_valid()
    assert form.errors["outcome"] == ["Kies de uitkomst van de begeleiding."]


# --- S4: no fact dated before the resident's birth ---------------------------------------------


def test_ladder_score_and_its_correction_not_before_birth(client_c, resident, consulent):
    with pytest.raises(DomainError) as refused:
        services.ladder_score_record(
            resident=resident, measured_on=BEFORE_BIRTH, step=3, by=consulent
        )
    assert (refused.value.code, refused.value.field) == ("before_birth", "measured_on")
    # the form names it with the other problems (no step) on one submit
    r = client_c.post(
        reverse("caseload:ladder_record", args=[resident.pk]), {"measured_on": "1900-01-01"}
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert "De datum van de meting ligt vóór de geboortedatum van de inwoner." in html
    assert "Kies een trede van 1 tot en met 6." in html

    score = services.ladder_score_record(
        resident=resident, measured_on=D(2026, 11, 1), step=3, by=consulent
    )
    with pytest.raises(DomainError) as refused:
        services.ladder_score_correct(
            score=score, by=consulent, reason=REASON, changes={"measured_on": D(1800, 1, 1)}
        )
    assert refused.value.code == "before_birth"
    r = client_c.post(
        _fact_url(resident, "ladder", score.pk),
        {"measured_on": "1800-01-01", "step": "3", "correction_reason": REASON},
    )
    assert r.status_code == 422
    assert "ligt vóór de geboortedatum" in r.content.decode()
    score.refresh_from_db()
    assert score.measured_on == D(2026, 11, 1)
    # the day of birth itself is a possible date
    services.ladder_score_correct(
        score=score, by=consulent, reason=REASON, changes={"measured_on": BORN}
    )


def test_trajectory_start_and_its_correction_not_before_birth(client_c, resident, consulent):
    instrument = factories.InstrumentFactory()
    with pytest.raises(DomainError) as refused:
        services.trajectory_start(
            resident=resident, instrument=instrument, started_on=BEFORE_BIRTH, by=consulent
        )
    assert (refused.value.code, refused.value.field) == ("before_birth", "started_on")
    r = client_c.post(
        reverse("caseload:trajectory_start", args=[resident.pk]),
        {"instrument": instrument.pk, "started_on": "1900-01-01", "planned_end_on": "1899-12-01"},
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert "De startdatum ligt vóór de geboortedatum van de inwoner." in html
    assert "De geplande einddatum ligt voor de startdatum." in html  # both at once
    assert not Trajectory.objects.filter(resident=resident).exists()

    trajectory = services.trajectory_start(
        resident=resident, instrument=instrument, started_on=D(2026, 1, 5), by=consulent
    )
    with pytest.raises(DomainError) as refused:
        services.trajectory_correct(
            trajectory=trajectory,
            by=consulent,
            reason=REASON,
            changes={"started_on": BEFORE_BIRTH},
        )
    assert refused.value.code == "before_birth"


def test_group_and_outflow_not_before_birth(resident, consulent, open_benefit):
    with pytest.raises(DomainError) as refused:
        services.group_assign(
            resident=resident, group=2, reason="Intake", by=consulent, decided_on=BEFORE_BIRTH
        )
    assert (refused.value.code, refused.value.field) == ("before_birth", "decided_on")
    assignment = services.group_assign(
        resident=resident, group=2, reason="Intake", by=consulent, decided_on=D(2026, 1, 5)
    )
    with pytest.raises(DomainError) as refused:
        services.group_assignment_correct(
            assignment=assignment,
            by=consulent,
            reason=REASON,
            changes={"decided_on": BEFORE_BIRTH, "reassess_on": D(1900, 6, 1)},
        )
    assert refused.value.code == "before_birth"
    assert GroupAssignment.objects.get(pk=assignment.pk).decided_on == D(2026, 1, 5)
    problems = services.outflow_problems(
        kind="volledig",
        reason="overig",
        occurred_on=BEFORE_BIRTH,
        born=resident.birth_date,
    )
    assert [p.code for p in problems if p is not None] == ["before_birth"]


# --- S4: a birth date gives an age of at most 120 ----------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "code"),
    [
        (D(1800, 1, 1), "birth_date_too_old"),
        (D(1905, 12, 2), "birth_date_too_old"),  # 121 today
        (D(1906, 12, 3), None),  # 120 today
        (TODAY, "birth_date"),
        (D(2027, 1, 1), "birth_date"),
    ],
)
def test_birth_date_problems(birth_date, code):
    problems = [p for p in services.birth_date_problems(birth_date=birth_date) if p is not None]
    assert [p.code for p in problems] == ([code] if code else [])


def test_a_resident_born_in_1800_is_not_registered(team):
    household = factories.HouseholdFactory(municipality=team.municipality)
    with pytest.raises(DomainError) as refused:
        services.resident_register(
            household=household,
            team=team,
            bsn="999990019",
            first_name="Test",
            last_name="Handmatig",
            birth_date=D(1800, 1, 1),
        )
    assert (refused.value.code, refused.value.field) == ("birth_date_too_old", "birth_date")
    assert not Resident.objects.filter(household=household).exists()


def test_a_resident_update_keeps_the_birth_date_rule(resident):
    with pytest.raises(DomainError) as refused:
        services.resident_update(resident=resident, birth_date=D(1800, 1, 1))
    assert refused.value.code == "birth_date_too_old"


# --- S8: no WW prevention beside a running benefit ---------------------------------------------


def test_ww_prevention_refused_beside_a_running_benefit(client_c, resident, open_benefit):
    problems = services.application_register_problems(
        resident=resident,
        received_on=D(2026, 12, 1),
        regime="pw",
        prevention_route="ww_coaching",
    )
    assert [p.code for p in problems if p is not None] == ["prevention_benefit_open"]
    with pytest.raises(DomainError) as refused:
        services.application_register(
            resident=resident, received_on=D(2026, 12, 1), prevention_route="ww_coaching"
        )
    assert refused.value.code == "prevention_benefit_open"
    url = reverse("caseload:ww_prevention", args=[resident.pk])
    assert 'id="uitkering-loopt"' in client_c.get(url).content.decode()
    r = client_c.post(
        url,
        {
            "actie": "melding",
            "melding-received_on": "2026-12-01",
            "melding-risk_profile": "normaal",
        },
    )
    assert r.status_code == 422
    assert "past niet naast een lopende uitkering" in r.content.decode()
    assert not Application.objects.filter(resident=resident).exists()


def test_ww_prevention_after_the_benefit_ended_is_accepted(resident):
    factories.BenefitFactory(applicant=resident, ended_for_work=True)
    application = services.application_register(
        resident=resident, received_on=D(2026, 12, 1), prevention_route="ww_coaching"
    )
    assert application.prevention_route == "ww_coaching"


# --- M6: the decision correction ---------------------------------------------------------------


MELDING = D(2026, 11, 2)


def _granted(resident):
    application = services.application_register(resident=resident, received_on=MELDING, regime="pw")
    return services.application_decide(
        application=application,
        outcome="toegekend",
        decided_on=D(2026, 11, 20),
        benefit_start=MELDING,
    )


def test_a_corrected_benefit_start_is_not_in_the_future(client_c, resident, consulent):
    application = _granted(resident)
    with pytest.raises(DomainError) as refused:
        services.application_decision_correct(
            application=application,
            by=consulent,
            reason=REASON,
            changes={"benefit_start": D(2027, 1, 1)},
        )
    assert (refused.value.code, refused.value.field) == ("future_date", "benefit_start")
    r = client_c.post(
        _fact_url(resident, "besluit", application.pk),
        {"decided_on": "2026-11-20", "benefit_start": "2027-01-01", "correction_reason": REASON},
    )
    assert r.status_code == 422
    assert "De ingangsdatum van de uitkering mag niet in de toekomst liggen." in (
        r.content.decode()
    )
    application.refresh_from_db()
    assert application.benefit.start_date == MELDING
    # a corrected date of the decision alone still passes
    services.application_decision_correct(
        application=application,
        by=consulent,
        reason=REASON,
        changes={"decided_on": D(2026, 11, 21)},
    )


def test_the_decision_correction_names_every_broken_rule_at_once(client_c, resident):
    application = _granted(resident)
    r = client_c.post(
        _fact_url(resident, "besluit", application.pk),
        {"decided_on": "2026-11-01", "benefit_start": "2026-11-01", "correction_reason": ""},
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert "De besluitdatum ligt voor de datum van de melding." in html
    assert "id_benefit_start_error" in html
    assert "De ingangsdatum van de uitkering ligt vóór de datum van de melding" in html
    assert "Geef een reden voor de correctie." in html
    problems = services.application_decision_correct_problems(
        application=application, decided_on=D(2026, 11, 1), benefit_start=D(2026, 11, 1)
    )
    assert {p.field for p in problems if p is not None} == {"decided_on", "benefit_start"}


def test_an_empty_benefit_start_is_refused_not_a_500(client_c, resident, consulent):
    application = _granted(resident)
    with pytest.raises(DomainError) as refused:
        services.application_decision_correct(
            application=application, by=consulent, reason=REASON, changes={"benefit_start": None}
        )
    assert refused.value.field == "benefit_start"
    r = client_c.post(
        _fact_url(resident, "besluit", application.pk),
        {"decided_on": "2026-11-20", "benefit_start": "", "correction_reason": REASON},
    )
    assert r.status_code == 422
    assert "Vul de ingangsdatum van de uitkering in." in r.content.decode()


def test_hours_are_kept_when_the_outflow_form_is_refused(client_c, resident, open_benefit):
    """What was typed comes back (a refused outflow without a kind keeps its hours)."""
    r = client_c.post(
        reverse("caseload:outflow_record", args=[resident.pk]),
        {"reason": "werk", "occurred_on": "2026-11-30", "hours_per_week": "16"},
    )
    assert r.status_code == 422
    assert 'value="16"' in r.content.decode()
