"""The matching pages (issue 18): the consulent's profile page reached from the dossier with a
way back, bad input back with what was typed, consent, passende vacatures; the account manager's
candidate list (no BSN, name or address; one processing record naming every candidate),
proposing, the employer's answer, the placement and the durability worklist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from caseload.models import Benefit, OutflowEvent
from matching.models import Consent, Profile, Proposal, ProposalStatus
from privacy.models import ProcessingRecord
from privacy.pseudonym import resident_pseudonym
from tests import factories

pytestmark = pytest.mark.django_db


def test_profile_page_shows_intake_facts_and_saves(region, client):
    resident = region.resident(consent=False, sought=("5322",))
    client.force_login(region.consulent)
    url = reverse("matching:profile", args=[resident.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("caseload:dossier", args=[resident.pk]) in html  # the way back
    assert "Wat de brede intake al weet" in html and "Groep 1" in html
    assert 'data-consent="geen"' in html
    before = ProcessingRecord.objects.count()
    bad = client.post(
        url,
        {
            "sought": "5322, 0000",
            "driving_licence": "ja",
            "travel_range_km": "12",
            "hours_available": "50",
        },
    )
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "Onbekende ISCO-08-code: 0000." in text
    assert 'value="5322, 0000"' in text  # what was typed comes back
    ok = client.post(
        url,
        {
            "sought": "5322, 9112",
            "driving_licence": "nee",
            "travel_range_km": "12",
            "hours_available": "20,5",
            "no_work_experience": "on",
        },
    )
    assert ok.status_code == 302
    profile = Profile.objects.get(resident=resident)
    assert profile.driving_licence is False and str(profile.hours_available) == "20.5"
    assert sorted(profile.sought.values_list("occupation__code", flat=True)) == ["5322", "9112"]
    records = ProcessingRecord.objects.filter(pk__gt=0).order_by("id")[before:]
    assert all(resident_pseudonym(resident.pk) in r.subjects for r in records)


def test_consent_give_and_withdraw_pages(region, client):
    resident = region.resident(consent=False)
    client.force_login(region.consulent)
    r = client.post(
        reverse("matching:consent_give", args=[resident.pk]), {"given_on": "2026-11-20"}
    )
    assert r.status_code == 302
    consent = Consent.objects.get(resident=resident)
    r = client.post(reverse("matching:consent_withdraw", args=[resident.pk, consent.pk]))
    assert r.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == region.consulent


def test_another_team_cannot_open_the_profile(region, client):
    resident = region.resident()
    stranger = factories.UserFactory(team=factories.TeamFactory(municipality=region.municipality))
    client.force_login(stranger)
    assert client.get(reverse("matching:profile", args=[resident.pk])).status_code in (403, 404)
    client.force_login(region.accountmanager)
    assert client.get(reverse("matching:profile", args=[resident.pk])).status_code == 403


def test_candidate_list_is_anonymous_and_logged(region, client):
    vacancy = region.vacancy()
    # names and streets of their own: a generated one can also be the signed-in user's name
    # (a clean-clone run drew the surname "Roose" for a resident and the account manager)
    a = region.resident(last_name="Afgeschermda")
    b = region.resident(sought=("5321",), last_name="Verborgenga")
    for resident, street in ((a, "Anoniemlaan"), (b, "Pseudoniemweg")):
        resident.household.street = street
        resident.household.save(update_fields=["street"])
    client.force_login(region.accountmanager)
    before = ProcessingRecord.objects.count()
    page = client.get(reverse("matching:candidates", args=[vacancy.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for resident in (a, b):
        assert resident.bsn not in html
        assert escape(resident.last_name) not in html
        assert resident.household.street not in html
    assert f"Kandidaat P-{a.matching_profile.pk}" in html
    assert "zoekt dit beroep" in html
    assert ProcessingRecord.objects.count() == before + 1
    record = ProcessingRecord.objects.latest("id")
    assert record.action == "search" and record.object_type == "vacancy_candidates"
    assert set(record.subjects) == {resident_pseudonym(a.pk), resident_pseudonym(b.pk)}
    # the vacancy page links to it
    detail = client.get(reverse("employers:vacancy_detail", args=[vacancy.pk])).content.decode()
    assert reverse("matching:candidates", args=[vacancy.pk]) in detail


def test_consulent_may_not_open_candidates(region, client):
    vacancy = region.vacancy()
    client.force_login(region.consulent)
    assert client.get(reverse("matching:candidates", args=[vacancy.pk])).status_code == 403


def test_propose_answer_place_end_to_end(region, client):
    vacancy = region.vacancy()
    resident = region.resident()
    client.force_login(region.accountmanager)
    r = client.post(
        reverse("matching:propose", args=[vacancy.pk]), {"profile": resident.matching_profile.pk}
    )
    assert r.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.score is not None
    page = client.get(reverse("matching:candidates", args=[vacancy.pk])).content.decode()
    assert escape(resident.full_name) in page  # proposed: the name is shared now (as HTML)
    assert resident.bsn not in page
    # the consulent sees the proposal in the dossier's profile page and the timeline
    client.force_login(region.consulent)
    profile_page = client.get(reverse("matching:profile", args=[resident.pk])).content.decode()
    assert vacancy.title in profile_page and "Voorgedragen" in profile_page
    dossier = client.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert f"Voorgedragen: {vacancy.title}" in dossier
    assert reverse("matching:profile", args=[resident.pk]) in dossier
    client.force_login(region.accountmanager)
    bad = client.post(
        reverse("matching:answer", args=[proposal.pk]),
        {"answer": "afgewezen", "answered_on": "2026-11-22", "decline_reason": ""},
    )
    assert bad.status_code == 422 and "Vul de reden van de afwijzing in." in bad.content.decode()
    r = client.post(
        reverse("matching:answer", args=[proposal.pk]),
        {"answer": "aangenomen", "answered_on": "2026-11-22"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("matching:placement", args=[proposal.pk]),
        {
            "start_date": "2026-11-22",
            "hours_per_week": "24",
            "outflow_kind": "volledig",
            "contract_type": "tijdelijk",
            "proefplaatsing": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    outflow = OutflowEvent.objects.get(resident=resident)
    assert outflow.placement.proefplaatsing
    worklist = client.get(reverse("matching:placements"))
    assert worklist.status_code == 200
    assert escape(resident.full_name) in worklist.content.decode()
    assert "22-5-2027" in worklist.content.decode()  # the 6-month check


def test_resident_vacancies_and_incomplete_list(region, client):
    vacancy = region.vacancy(title="Verzorgende IG")
    resident = region.resident()
    incomplete = factories.ResidentFactory(
        team=region.team, consulent=region.consulent, household__municipality=region.municipality
    )
    factories.BenefitFactory(applicant=incomplete, start_date=dt.date(2025, 1, 1))
    client.force_login(region.consulent)
    page = client.get(reverse("matching:resident_vacancies", args=[resident.pk]))
    assert page.status_code == 200
    assert "Verzorgende IG" in page.content.decode()
    r = client.post(
        reverse("matching:propose", args=[vacancy.pk]),
        {"profile": resident.matching_profile.pk, "terug": "inwoner"},
    )
    assert r.status_code == 302
    assert r["Location"] == reverse("matching:resident_vacancies", args=[resident.pk])
    lst = client.get(reverse("matching:incomplete")).content.decode()
    assert escape(incomplete.full_name) in lst and escape(resident.full_name) not in lst


def test_placements_list_the_open_checks_first_and_name_a_late_one(region, client):
    """The walk of 3 December: checks whose date had long passed without an outcome read
    "15-7-2024: nog niet bekend" at the bottom of a list that said open checks come first.
    They now come first and read "niet vastgesteld"."""
    from matching.models import Placement

    def placement(start: dt.date, off_6m):
        resident = region.resident()
        vacancy = region.vacancy(title=f"Vacature {start:%Y%m}")
        proposal = Proposal.objects.create(
            vacancy=vacancy,
            resident=resident,
            proposed_on=start,
            proposed_by=region.accountmanager,
            status=ProposalStatus.ACCEPTED,
            answered_on=start,
        )
        benefit = Benefit.objects.filter(household=resident.household).first()
        benefit = benefit or factories.BenefitFactory(applicant=resident)
        outflow = factories.OutflowEventFactory(
            benefit=benefit,
            occurred_on=start,
            still_off_benefit_6m=off_6m,
            still_off_benefit_12m=off_6m,
        )
        return Placement.objects.create(
            proposal=proposal,
            start_date=start,
            hours_per_week=24,
            outflow=outflow,
            recorded_by=region.accountmanager,
        )

    known = placement(dt.date(2024, 1, 15), True)  # started first, both checks known
    late = placement(dt.date(2025, 1, 15), None)  # its checks passed unknown
    client.force_login(region.accountmanager)
    page = client.get(reverse("matching:placements")).content.decode()
    assert page.index(escape(late.proposal.resident.full_name)) < page.index(
        escape(known.proposal.resident.full_name)
    )
    assert "15-7-2025: niet vastgesteld" in page and "15-7-2024: nog uit de uitkering" in page


def test_a_refused_proposal_is_logged_as_a_read(region, client):
    """The re-review of 3 December: a second proposal of the same resident is refused (a
    message and a redirect) and nothing is written, yet the log read "Aanmaken | voordracht"
    twice. A refusal before a redirect is a read (``privacy.context.note_refused``)."""
    vacancy = region.vacancy()
    resident = region.resident()
    client.force_login(region.accountmanager)
    url = reverse("matching:propose", args=[vacancy.pk])
    data = {"profile": resident.matching_profile.pk}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Proposal.objects.count() == 1
    records = ProcessingRecord.objects.filter(
        object_type="vacancy", subjects__contains=[resident_pseudonym(resident.pk)]
    ).order_by("id")
    assert [r.action for r in records] == ["create", "read"]


def test_the_travel_range_filter_on_both_lists(region, client):
    """The candidate list and the passende vacatures offer "Alleen binnen de reisafstand"; a
    row beyond the resident's range says so in its reason."""
    far = region.vacancy(postcode="1011AB", title="Ver weg")  # Amsterdam, ~26 km
    region.vacancy(postcode="1211AB", title="Dichtbij")
    short = region.resident(range_km=5)
    client.force_login(region.accountmanager)
    url = reverse("matching:candidates", args=[far.pk])
    html = client.get(url).content.decode()
    assert "Alleen binnen de reisafstand van de inwoner" in html
    assert "buiten de reisafstand" in html
    assert f"Kandidaat P-{short.matching_profile.pk}" in html
    html = client.get(url, {"within_range": "on"}).content.decode()
    assert f"Kandidaat P-{short.matching_profile.pk}" not in html
    client.force_login(region.consulent)
    url = reverse("matching:resident_vacancies", args=[short.pk])
    assert "Ver weg" in client.get(url).content.decode()
    html = client.get(url, {"within_range": "on"}).content.decode()
    assert "Dichtbij" in html and "Ver weg" not in html


def test_searching_an_occupation_by_name_or_code(region, client):
    """The walk of 3 December: the ISCO-08 codes the profile asks for could only be found by
    reading a list of 400 under the form. The profile page now searches it (htmx), and the
    search is a page of its own without JavaScript."""
    client.force_login(region.consulent)
    profile = client.get(reverse("matching:profile", args=[region.resident().pk]))
    assert 'hx-get="/matching/beroepen/"' in profile.content.decode()
    url = reverse("matching:occupations")
    fragment = client.get(url, {"q": "verkoop"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert "<strong>5223</strong>" in fragment and "<strong>9112</strong>" not in fragment
    by_code = client.get(url, {"q": "91"}).content.decode()
    assert "<h1" in by_code and 'value="91"' in by_code
    assert "<strong>9112</strong>" in by_code and "<strong>5223</strong>" not in by_code
    nothing = client.get(url, {"q": "ruimtevaartbanketbakker"}).content.decode()
    assert "0 beroepen gevonden" in nothing


def test_walk_4_december_propose_answer_and_place_say_what_they_can(region, client):
    """The walk of 4 December: the candidates list proposed without a motivation (docs:
    "met motivatie"); the processing log named the proposal by the vacancy's id ("voordracht
    1238"); the answer and placement forms of a proposal already answered or placed, or of a
    closed vacancy, were offered and refused only after submitting."""

    vacancy = region.vacancy()
    resident = region.resident()
    client.force_login(region.accountmanager)
    page = client.get(reverse("matching:candidates", args=[vacancy.pk])).content.decode()
    assert 'name="motivation"' in page and "Motivatie (niet verplicht)" in page
    r = client.post(
        reverse("matching:propose", args=[vacancy.pk]),
        {"profile": resident.matching_profile.pk, "motivation": "Ruime ervaring in de zorg"},
    )
    assert r.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.motivation == "Ruime ervaring in de zorg"
    record = ProcessingRecord.objects.filter(route="matching:propose").latest("id")
    assert (record.object_type, record.object_id) == ("vacancy", str(vacancy.pk))

    answer = reverse("matching:answer", args=[proposal.pk])
    placement = reverse("matching:placement", args=[proposal.pk])
    html = client.get(placement).content.decode()
    assert "Een plaatsing volgt op een voordracht die de werkgever heeft aangenomen." in html
    assert 'name="start_date"' not in html
    client.post(answer, {"answer": "aangenomen", "answered_on": "2026-11-22"})
    html = client.get(answer).content.decode()
    assert "Het antwoord van de werkgever staat er al." in html and 'name="answer"' not in html
    assert 'name="start_date"' in client.get(placement).content.decode()
    from employers import services as es

    es.vacancy_close(
        vacancy=vacancy, on=dt.date(2026, 11, 22), result="ingetrokken", by=region.accountmanager
    )
    html = client.get(placement).content.decode()
    assert "Deze vacature is ingetrokken." in html and 'name="start_date"' not in html
