"""Issue 12, finding 14 (existence oracles and log gaps around break-the-glass and the privacy
officer's search) and finding 10, privacy part (bad query parameters on privacy pages are a 4xx
with a Dutch page, never a 500)."""

import re

import pytest
from django.urls import reverse

from privacy.models import Action, ProcessingRecord, Purpose
from privacy.pseudonym import resident_pseudonym
from tests import factories
from tests.privacy.conftest import records_for

pytestmark = pytest.mark.django_db

REASON = "Inwoner belt over betaling, eigen consulent is ziek"
MISSING = 987654321


def _glass(resident_id):
    return reverse("privacy:break_glass", args=[resident_id])


def _dutch_page(response):
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="nl"' in body
    for english in ("Bad Request", "Not Found", "Forbidden", "Server Error"):
        assert english not in body
    return body


def _normalised(body):
    """The page without its per-response tokens (CSRF token, form nonce, CSP nonce)."""
    body = re.sub(r"[A-Za-z0-9]{64}", "<token>", body)
    body = re.sub(r'name="form_nonce" value="[0-9a-f]{32}"', 'name="form_nonce"', body)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', body)


@pytest.mark.parametrize(
    "traits",
    [
        {"manager": True},
        {"finance": True},
        {"beheer": True},
        {"privacy": True},
        {"beheer": True, "is_superuser": True},
    ],
)
def test_finding_14_roles_that_never_break_the_glass_get_one_answer(client, resident, traits):
    """Issue 12, finding 14: for a role that may never break the glass, the break-the-glass URL
    answers the same for an existing and a nonexistent resident id (GET and POST)."""
    client.force_login(factories.UserFactory(**traits))
    for method in ("get", "post"):
        call = getattr(client, method)
        existing = call(_glass(resident.pk), {"reason": REASON} if method == "post" else None)
        missing = call(_glass(MISSING), {"reason": REASON} if method == "post" else None)
        assert existing.status_code == missing.status_code == 403, method
        assert _normalised(_dutch_page(existing)) == _normalised(_dutch_page(missing))


def test_finding_14_team_roles_of_another_municipality_get_404_like_a_missing_id(client, resident):
    """Issue 12, finding 14: a consulent of another municipality cannot tell an existing resident
    from a nonexistent id."""
    far = factories.TeamFactory(municipality=factories.MunicipalityFactory(cbs_code="GM0001"))
    client.force_login(factories.UserFactory(team=far))
    for resident_id in (resident.pk, MISSING):
        assert client.get(_glass(resident_id)).status_code == 404
        assert client.post(_glass(resident_id), {"reason": REASON}).status_code == 404


def test_finding_14_grant_record_has_route_method_and_request_id(client, outsider, resident):
    """Issue 12, finding 14: the break-the-glass grant's record names route, method and request
    id like every other record."""
    client.force_login(outsider)
    client.post(_glass(resident.pk), {"reason": REASON}, headers={"X-Request-ID": "req-glass-1"})
    record = records_for(resident).get(object_type="break_glass")
    assert record.route == "privacy:break_glass"
    assert record.method == "POST"
    assert record.request_id == "req-glass-1"
    assert record.break_glass and record.purpose == Purpose.BREAK_GLASS


def test_finding_14_bsn_search_writes_a_supervision_record_without_the_bsn(
    client, privacy_officer, resident
):
    """Issue 12, finding 14: the privacy officer's BSN search writes a record (purpose toezicht)
    naming the found resident by pseudonym; the BSN is nowhere in it."""
    client.force_login(privacy_officer)
    before = ProcessingRecord.objects.count()
    response = client.post(reverse("privacy:log_search"), {"inwoner-bsn": resident.bsn})
    assert response.status_code == 302
    record = ProcessingRecord.objects.order_by("id")[before]
    assert record.action == Action.SEARCH and record.purpose == Purpose.SUPERVISION
    assert record.subjects == [resident_pseudonym(resident.pk)]
    assert record.user_id == privacy_officer.pk
    assert record.route == "privacy:log_search" and record.method == "POST"
    assert record.request_id
    for value in ProcessingRecord.objects.filter(pk=record.pk).values().first().values():
        assert resident.bsn not in str(value)


def test_finding_14_a_search_that_finds_nobody_is_logged_without_subjects(client, privacy_officer):
    client.force_login(privacy_officer)
    before = ProcessingRecord.objects.count()
    response = client.post(reverse("privacy:log_search"), {"inwoner-bsn": "111222333"})
    assert response.status_code == 422
    record = ProcessingRecord.objects.order_by("id")[before]
    assert record.action == Action.SEARCH and record.subjects == []
    assert "111222333" not in str(ProcessingRecord.objects.filter(pk=record.pk).values().first())


@pytest.mark.parametrize("week", ["0001-01-01", "9999-12-31", "0001-01-02", "9999-12-27", "abc"])
def test_finding_10_break_glass_review_bad_week_is_a_dutch_400(client, privacy_officer, week):
    """Issue 12, finding 10: a week at the ends of the calendar (or no date at all) is a 400 with
    a Dutch page, not a 500."""
    client.force_login(privacy_officer)
    url = reverse("privacy:break_glass_review")
    assert client.get(url, {"week": "2026-11-18"}).status_code == 200
    response = client.get(url, {"week": week})
    assert response.status_code == 400
    _dutch_page(response)


@pytest.mark.parametrize("value", ["\u00b2", "1\u00b2", "9" * 10_000, "99999999999999999999"])
def test_finding_10_staff_search_with_odd_digits_is_not_a_500(client, privacy_officer, value):
    """Issue 12, finding 10: ``²`` passes ``str.isdigit()`` but not ``int()``; the staff search
    answers "not found" (422) or, for a value longer than the field, a form error (200)."""
    client.force_login(privacy_officer)
    response = client.get(reverse("privacy:log_search"), {"medewerker-medewerker": value})
    assert response.status_code == (200 if len(value) > 150 else 422)
    _dutch_page(response)


def test_odd_page_numbers_are_not_a_500(client, privacy_officer, resident):
    client.force_login(privacy_officer)
    url = reverse("privacy:log_resident", args=[resident.pk])
    for value in ("\u00b2", "-1", "9" * 10_000, "abc"):
        assert client.get(url, {"pagina": value}).status_code == 200
