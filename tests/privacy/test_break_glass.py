"""Break-the-glass: a dossier outside one's team opens only with a typed reason, for a limited
time, logged as such, and appears on the weekly review list."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from privacy.models import BreakGlassGrant, ProcessingRecord
from tests import factories
from tests.privacy.conftest import records_for

pytestmark = pytest.mark.django_db

REASON = "Inwoner belt over betaling, eigen consulent is ziek"


def _dossier(resident):
    return reverse("caseload:dossier", args=[resident.pk])


def _glass(resident):
    return reverse("privacy:break_glass", args=[resident.pk])


def test_outside_team_asks_for_a_reason_and_shows_nothing(client, outsider, resident):
    client.force_login(outsider)
    response = client.get(_dossier(resident))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Waarom heeft u dit dossier nodig?" in body
    assert escape(resident.last_name) not in body and resident.bsn not in body
    assert not records_for(resident).exists()


def test_short_reason_is_refused_next_to_the_field_and_kept(client, outsider, resident):
    client.force_login(outsider)
    response = client.post(_glass(resident), {"reason": "even kijken", "next": _dossier(resident)})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Geef een reden van minstens 20 tekens." in body
    assert "even kijken" in body
    # the help text and the error, both rendered by the one field template (issue 16, point 8)
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in body
    assert 'id="id_reason_helptext"' in body and 'id="id_reason_error"' in body
    assert not BreakGlassGrant.objects.exists()


def test_reason_opens_the_dossier_for_an_hour_and_is_logged(client, outsider, resident):
    client.force_login(outsider)
    response = client.post(_glass(resident), {"reason": REASON, "next": _dossier(resident)})
    assert response.status_code == 302 and response["Location"] == _dossier(resident)
    grant = BreakGlassGrant.objects.get()
    assert grant.user == outsider and grant.reason == REASON
    assert dt.timedelta(minutes=59) < grant.expires_at - grant.granted_at <= dt.timedelta(hours=1)

    response = client.get(_dossier(resident))
    assert response.status_code == 200 and escape(resident.last_name) in response.content.decode()
    read = records_for(resident).filter(action="read").latest("id")
    assert read.break_glass and read.reason == REASON and read.purpose == "doorbraak"
    created = records_for(resident).get(object_type="break_glass")
    assert created.break_glass and created.reason == REASON
    # the grant opens the case forms too, but not the team's lists or the API
    assert client.get(reverse("caseload:contact_record", args=[resident.pk])).status_code == 200
    assert client.get(f"/api/v1/caseload/residents/{resident.pk}/").status_code == 404


def test_grant_expires(client, outsider, resident):
    client.force_login(outsider)
    client.post(_glass(resident), {"reason": REASON})
    BreakGlassGrant.objects.update(
        granted_at=timezone.now() - dt.timedelta(hours=2),
        expires_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert client.get(_dossier(resident)).status_code == 403


def test_unsafe_next_goes_to_the_dossier(client, outsider, resident):
    client.force_login(outsider)
    response = client.post(_glass(resident), {"reason": REASON, "next": "https://evil.example/"})
    assert response["Location"] == _dossier(resident)


@pytest.mark.parametrize("traits", [{"manager": True}, {"finance": True}, {"beheer": True}])
def test_aggregate_roles_never_break_the_glass(client, resident, traits):
    client.force_login(factories.UserFactory(**traits))
    assert client.get(_dossier(resident)).status_code in (403, 404)
    assert "Waarom heeft u" not in client.get(_dossier(resident)).content.decode()
    assert client.post(_glass(resident), {"reason": REASON}).status_code == 403
    assert not BreakGlassGrant.objects.exists()


def test_other_municipality_gets_404(client, resident):
    far = factories.TeamFactory(municipality=factories.MunicipalityFactory(cbs_code="GM0001"))
    client.force_login(factories.UserFactory(team=far))
    assert client.get(_dossier(resident)).status_code == 404
    # like a missing id: no existence oracle across municipalities (issue 12, finding 14)
    assert client.post(_glass(resident), {"reason": REASON}).status_code == 404


def test_weekly_review_for_teamleider_and_privacy_officer(
    client, outsider, other_team, resident, privacy_officer
):
    client.force_login(outsider)
    client.post(_glass(resident), {"reason": REASON})
    stranger = factories.UserFactory(team=factories.TeamFactory(municipality=resident.municipality))
    client.force_login(stranger)
    client.post(_glass(resident), {"reason": "Vervanging op verzoek van het Poortteam"})
    url = reverse("privacy:break_glass_review")

    client.force_login(factories.UserFactory(teamleider=True, team=other_team))
    body = client.get(url).content.decode()
    assert REASON in body and "Vervanging op verzoek" not in body
    assert reverse("privacy:log_resident", args=[resident.pk]) not in body  # no link for them

    client.force_login(privacy_officer)
    body = client.get(url).content.decode()
    assert REASON in body and "Vervanging op verzoek" in body
    # the walk of 4 December: from a break-the-glass on to what was done with it
    assert reverse("privacy:log_resident", args=[resident.pk]) in body
    assert reverse("privacy:log_user", args=[outsider.pk]) in body

    last_week = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    assert REASON not in client.get(url, {"week": last_week}).content.decode()

    for user in (outsider, factories.UserFactory(manager=True)):
        client.force_login(user)
        assert client.get(url).status_code == 403
    assert ProcessingRecord.objects.filter(break_glass=True).count() == 2


def test_the_officer_records_a_review_of_each_access(
    client, privacy_officer, outsider, resident, other_team
):
    """The walk of 4 December: the break-the-glass list had no way to mark an entry reviewed.
    The officer records a finding per access (required, once); a teamleider reads the list with
    the finding but cannot record one."""
    client.force_login(outsider)
    client.post(_glass(resident), {"reason": REASON})
    grant = BreakGlassGrant.objects.get()
    url = reverse("privacy:break_glass_review")
    client.force_login(privacy_officer)
    # the review of 4 December: an access still running is reviewed after it ends
    assert "Loopt nog tot" in client.get(url).content.decode()
    running = client.post(url, {"grant": grant.pk, "review_note": "Gerechtvaardigd"})
    assert running.status_code == 422 and "loopt nog tot" in running.content.decode()
    grant.refresh_from_db()
    assert grant.reviewed_at is None
    ended = timezone.now() - dt.timedelta(minutes=1)
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        granted_at=ended - dt.timedelta(hours=1), expires_at=ended
    )
    empty = client.post(url, {"grant": grant.pk, "review_note": "  "})
    assert empty.status_code == 422
    assert "Vul uw bevinding in" in empty.content.decode()
    ok = client.post(url, {"grant": grant.pk, "review_note": "Gerechtvaardigd: vervanging"})
    assert ok.status_code == 302
    grant.refresh_from_db()
    assert grant.reviewed_by == privacy_officer and grant.review_note.startswith("Gerecht")
    # the finding is logged as an update of that access, not as another look at the list
    record = ProcessingRecord.objects.filter(user_id=privacy_officer.pk).latest("id")
    assert (record.action, record.object_type, record.object_id) == (
        "update",
        "break_glass",
        str(grant.pk),
    )
    assert record.purpose == "toezicht" and len(record.subjects) == 1
    again = client.post(url, {"grant": grant.pk, "review_note": "Nogmaals"})
    assert again.status_code == 422 and "al beoordeeld" in again.content.decode()
    body = client.get(url).content.decode()
    assert "Gerechtvaardigd: vervanging" in body and 'name="review_note"' not in body

    teamleider = factories.UserFactory(teamleider=True, team=other_team)
    client.force_login(teamleider)
    body = client.get(url).content.decode()
    assert "Gerechtvaardigd: vervanging" in body
    assert client.post(url, {"grant": grant.pk, "review_note": "x"}).status_code == 403


def test_a_review_is_whole_or_absent_in_the_database(outsider, resident, privacy_officer):
    """The review of 4 December: the constraint allowed a finding without who and when, and a
    finding of blanks."""
    from django.db import IntegrityError, transaction

    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=outsider,
        user_team=outsider.team,
        resident=resident,
        reason=REASON,
        granted_at=now - dt.timedelta(hours=2),
        expires_at=now - dt.timedelta(hours=1),
    )
    rows = BreakGlassGrant.objects.filter(pk=grant.pk)
    bad = [
        {"review_note": "Gerechtvaardigd"},
        {"reviewed_by": privacy_officer},
        {"reviewed_at": timezone.now(), "reviewed_by": privacy_officer, "review_note": "   "},
        {"reviewed_at": timezone.now(), "review_note": "Gerechtvaardigd"},
    ]
    for values in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            rows.update(**values)
    rows.update(reviewed_at=timezone.now(), reviewed_by=privacy_officer, review_note="Terecht")


def test_a_grant_offers_no_corrections_and_no_reassignment(client, outsider, resident, consulent):
    """The security probe of 4 December: under a grant the dossier showed the timeline's
    "corrigeren"/"intrekken" links, whose pages answer 404 to a grant. What a grant does not
    reach is not offered; the resident's own consulent still gets the links."""
    factories.ContactMomentFactory(resident=resident)
    client.force_login(consulent)
    assert "/correctie/" in client.get(_dossier(resident)).content.decode()
    client.force_login(outsider)
    client.post(_glass(resident), {"reason": REASON})
    body = client.get(_dossier(resident)).content.decode()
    assert escape(resident.last_name) in body
    assert "/correctie/" not in body and "/herverdelen/" not in body
