"""Security review of 3 December (night), on 1f96934: the findings and their regression tests
(docs/security.md, section 14)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from apiauth import services as api_services
from apiauth.models import ApiToken
from apiauth.scopes import needs_approval
from budget import services as budget_services
from budget.models import PaymentImport
from budget.payments_import import payments_import_run
from caseload.importers import caseload_import
from caseload.models import BenefitPayment, HouseholdType, Regime, Resident
from common import clock
from privacy import selectors as privacy_selectors
from privacy.models import Action, ProcessingRecord
from privacy.pseudonym import person_pseudonym, resident_pseudonym
from tests import factories
from tests.api import test_import as import_base

pytestmark = pytest.mark.django_db

START = reverse("registers:start")
REGISTER = reverse("registers:register")


def _step2(partner_bsn: str, *, age: int) -> dict:
    return {
        "first_name": "Anouk",
        "name_prefix": "",
        "last_name": "Handwerk",
        "birth_date": (clock.today() - relativedelta(years=age)).isoformat(),
        "street": "Stationsstraat",
        "house_number": "3a",
        "postcode": "1211ab",
        "city": "Hilversum",
        "household_type": HouseholdType.COUPLE,
        "children_count": "0",
        "received_on": clock.today().isoformat(),
        "regime": "pw",
        "partner_bsn": partner_bsn,
        "partner_first_name": "Bram",
        "partner_last_name": "Handwerk",
        "partner_birth_date": "1988-11-30",
    }


@pytest.fixture
def by_hand():
    """A consulent in step 2 of a registration by hand (the BRP not configured), a resident of
    another municipality and a BSN nobody has, with a BSN-search limit of 2 a minute."""
    home = factories.MunicipalityFactory()
    consulent = factories.UserFactory(team=factories.TeamFactory(municipality=home))
    other = factories.MunicipalityFactory(cbs_code="GM0001", name="Andere gemeente")
    stranger = factories.ResidentFactory(household=factories.HouseholdFactory(municipality=other))
    cache.clear()
    rest = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"client": "100/minute", "bsn_search": "2/minute"},
    }
    client = Client()
    client.force_login(consulent)
    with override_settings(REST_FRAMEWORK=rest, BRP_BASE_URL=""):
        first = client.post(START, {"bsn": "999900055"})
        assert first.status_code == 302 and first["Location"] == REGISTER
        yield client, stranger
    cache.clear()


def test_finding_1_a_partner_typed_by_hand_counts_against_the_bsn_search_limit(by_hand):
    """Finding 1 (Medium): step 2 checked a partner's BSN against every municipality's
    residents ("De partner is al als inwoner geregistreerd") without the limit of step 1, and a
    registration refused afterwards was rolled back, so one session could ask it for any number
    of BSNs. Now each partner BSN typed by hand counts like step 1's BSN: a 429 with
    Retry-After once the limit is used, what was typed kept."""
    client, stranger = by_hand
    statuses = []
    for bsn in (stranger.bsn, "111222333", stranger.bsn, "111222333"):
        response = client.post(REGISTER, _step2(bsn, age=40))
        statuses.append(response.status_code)
        if response.status_code == 429:
            html = response.content.decode()
            assert "te veel BSN" in html and 'value="Handwerk"' in html
            assert int(response["Retry-After"]) >= 1
    # step 1 used one of the two checks: the first partner check is answered, then the limit
    assert statuses[0] == 422 and statuses[1:] == [429, 429, 429]


def test_finding_1_an_application_refused_anyway_never_checks_the_partners_bsn(by_hand):
    """Finding 1: the applicant's own rules (here: 17 at the melding, bijstand is from 18) are
    checked before the partner's BSN, so a registration that cannot succeed answers nothing
    about the BSN typed as partner, whoever has it."""
    client, stranger = by_hand
    answers = set()
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"bsn_search": "10/minute"}}
    with override_settings(REST_FRAMEWORK=rest):
        for bsn in (stranger.bsn, "111222333"):
            response = client.post(REGISTER, _step2(bsn, age=17))
            html = response.content.decode()
            assert "18e verjaardag" in html
            answers.add(("al als inwoner geregistreerd" in html, response.status_code))
    assert answers == {(False, 422)}  # the same answer for a resident and for nobody
    assert not Resident.objects.filter(bsn__in=["111222333", "999900055"]).exists()


PAYMENTS_HEADER = "bsn;regeling;maand;bruto;verrekende_inkomsten;netto;correctie\n"
#: fails the 11-test: the whole file is rejected
PAYMENTS_BAD_LINE = "123456789;pw;2026-03;1;0;1;\n"


def test_finding_2_a_rejected_payments_file_is_in_the_processing_log():
    """Finding 2 (Medium): a rejected payments file says per line whether the BSN's resident
    has a benefit running in the month and whether a guessed amount is what was paid, but only
    an applied file wrote a processing record. Now every resident a line resolved to is named
    (pseudonymised) in a record of the look-up by whoever offered the file."""
    municipality = factories.MunicipalityFactory()
    finance = factories.UserFactory(finance=True)
    on_benefit = factories.BenefitFactory(
        regime=Regime.ALGEMENE_BIJSTAND,
        start_date=dt.date(2025, 1, 1),
        applicant__household__municipality=municipality,
    )
    BenefitPayment.objects.create(
        benefit=on_benefit, month=dt.date(2026, 3, 1), amount_paid=Decimal("1234.56")
    )
    bystander = factories.BenefitFactory(
        regime=Regime.ALGEMENE_BIJSTAND,
        start_date=dt.date(2025, 1, 1),
        applicant__household__municipality=municipality,
    )
    before = ProcessingRecord.objects.count()
    item, _ = budget_services.payments_import_start(
        municipality=municipality,
        filename="probe.csv",
        content=(
            PAYMENTS_HEADER
            + f"{on_benefit.applicant.bsn};pw;2026-03;1;0;1000,00;\n"
            + PAYMENTS_BAD_LINE
        ).encode(),
        by=finance,
    )
    payments_import_run(import_id=item.pk)
    item.refresh_from_db()
    assert item.status == PaymentImport.Status.REJECTED
    (record,) = ProcessingRecord.objects.order_by("id")[before:]
    assert record.action == Action.SEARCH and record.username == finance.username
    assert record.subjects == [resident_pseudonym(on_benefit.applicant_id)]
    assert resident_pseudonym(bystander.applicant_id) not in record.subjects
    assert f"betalingenimport {item.pk}" in record.reason


def test_finding_2_a_key_that_offers_payments_files_needs_the_privacy_officer():
    """Finding 2: ``budget:write`` offers payments files with BSNs, so a key with it waits for
    the privacy officer's approval like a key with resident scopes (``budget:read`` alone
    does not)."""
    assert needs_approval(["budget:write"]) and not needs_approval(["budget:read"])
    officer = factories.UserFactory(privacy=True)
    own = factories.MunicipalityFactory()
    account = api_services.service_account_create(username="betalingen", municipality=own)
    token, secret = api_services.token_issue(user=account, name="feed", scopes=["budget:write"])
    assert token.approval == ApiToken.Approval.PENDING
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    upload = {"file": SimpleUploadedFile("b.csv", b"bsn;bedrag\n"), "gemeente": own.pk}
    refused = client.post("/api/v1/budget/betalingen/imports/", upload, format="multipart")
    assert refused.status_code in (401, 403)
    api_services.token_approve(token=token, by=officer)
    assert not PaymentImport.objects.exists()


def test_finding_3_the_caseload_import_names_every_resident_it_processed():
    """Finding 3 (Low): the caseload import (functioneel beheer) registers, changes and moves
    residents and ends benefits, and no processing record named them. Now an applied file
    writes one record naming every resident of the file, committed with the import, and a
    rejected file one of the look-up of the residents it named."""
    team = factories.TeamFactory()
    beheerder = factories.UserFactory(beheer=True)
    known_bsn, new_bsn = import_base.bsns(2, seed=33)
    known = factories.ResidentFactory(bsn=known_bsn, team=team)
    rows = [
        import_base.row(team, known_bsn, huishouden="HH-1"),
        import_base.row(team, new_bsn, huishouden="HH-2"),
    ]
    before = ProcessingRecord.objects.count()
    result = caseload_import(
        content=import_base.to_csv(rows),
        filename="export.csv",
        municipality=team.municipality,
        by=beheerder,
    )
    assert result.ok, result.errors
    (record,) = ProcessingRecord.objects.order_by("id")[before:]
    created = Resident.objects.get(bsn=new_bsn)
    assert record.object_type == "resident_import" and record.username == beheerder.username
    assert sorted(record.subjects) == sorted(
        [resident_pseudonym(known.pk), resident_pseudonym(created.pk)]
    )
    assert record.action == Action.UPDATE

    rows.append(import_base.row(team, "123456789", huishouden="HH-3"))  # fails the 11-test
    before = ProcessingRecord.objects.count()
    rejected = caseload_import(
        content=import_base.to_csv(rows),
        filename="export.csv",
        municipality=team.municipality,
        by=beheerder,
    )
    assert not rejected.ok
    (record,) = ProcessingRecord.objects.order_by("id")[before:]
    assert record.action == Action.SEARCH and "afgekeurd" in record.reason
    assert len(record.subjects) == 2


def test_finding_4_a_brp_look_up_names_the_person_for_the_privacy_officer(by_hand):
    """Finding 4 (Low): a BRP look-up of someone who is not a resident was logged naming
    nobody, so a look-up followed by an abandoned registration could not be found by the
    person's BSN. Now it names the pseudonym of the BSN: the officer's search by BSN shows it,
    and once the person is registered it is in their log (and inzage) too."""
    client, _stranger = by_hand  # step 1 looked up 999900055 (the BRP not configured)
    (lookup,) = ProcessingRecord.objects.filter(object_type="brp_persoon")
    assert lookup.subjects == [person_pseudonym("999900055")]
    officer = Client()
    officer.force_login(factories.UserFactory(privacy=True))
    found = officer.post(reverse("privacy:log_search"), {"inwoner-bsn": "999900055"})
    assert found.status_code == 200
    html = found.content.decode()
    # the look-up, and this search (which names the person too: the re-review)
    assert "geen inwoner is" in html and "2 verwerkingen" in html and "999900055" not in html
    resident = factories.ResidentFactory(bsn="999900055")
    log = privacy_selectors.processing_log_for_resident(
        user=factories.UserFactory(privacy=True), resident_id=resident.pk
    )
    assert lookup in log
