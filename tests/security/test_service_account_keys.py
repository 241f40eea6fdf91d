"""Issue 12, finding 2: a service-account key (API token) with a resident-data scope needs the
privacy officer's approval (four eyes), expires by default, and every processing record made
with it names the service account, the key, and who requested and approved it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apiauth import services
from apiauth.models import ApiToken
from common.exceptions import DomainError
from common.navigation import nav_for
from privacy.models import ProcessingRecord
from tests import factories

pytestmark = pytest.mark.django_db

RESIDENTS = "/api/v1/caseload/residents/"
TOKENS = "apiauth:token-list"
APPROVALS = "apiauth:token-approvals"


@pytest.fixture
def beheer(db):
    return factories.UserFactory(beheer=True, username="fb_jansen")


@pytest.fixture
def officer(db):
    return factories.UserFactory(privacy=True, username="po_devries")


def _bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def _mint_in_ui(client, beheer, resident, scopes=("caseload:read",)) -> tuple[ApiToken, str]:
    client.force_login(beheer)
    response = client.post(
        reverse(TOKENS),
        {
            "new_service_account": "datawarehouse",
            "municipality": resident.municipality.pk,
            "name": "dwh-koppeling",
            "scopes": list(scopes),
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    secret = response.context["secret"]
    return ApiToken.objects.get(name="dwh-koppeling"), secret


def test_finding_2_key_minted_by_beheer_reads_nothing_until_approved(client, beheer, resident):
    """Issue 12, finding 2: beheer alone can no longer mint a key that reads every resident."""
    _token, secret = _mint_in_ui(client, beheer, resident)
    response = _bearer(secret).get(RESIDENTS)
    assert response.status_code in (401, 403)
    error = response.json()["errors"][0]
    assert error["code"] == "token_not_approved"
    assert "privacyfunctionaris" in error["message"]
    assert _bearer(secret).get(f"{RESIDENTS}{resident.pk}/").status_code in (401, 403)
    assert not ProcessingRecord.objects.filter(username="datawarehouse").exists()


def test_finding_2_privacy_officer_approves_on_the_page_then_the_key_works(
    client, beheer, officer, resident
):
    """Issue 12, finding 2: the privacy officer sees the pending key and approves it."""
    token, secret = _mint_in_ui(client, beheer, resident)
    client.force_login(officer)
    page = client.get(reverse(APPROVALS))
    assert page.status_code == 200
    body = page.content.decode()
    assert "dwh-koppeling" in body and "fb_jansen" in body and "caseload:read" in body
    response = client.post(reverse(APPROVALS), {"token": token.pk, "decision": "goedkeuren"})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.approval == ApiToken.Approval.APPROVED
    assert token.approved_by == officer and token.approved_at is not None
    assert _bearer(secret).get(RESIDENTS).status_code == 200
    # the approved key is no longer pending
    assert "dwh-koppeling" not in client.get(reverse(APPROVALS)).content.decode().split("<h2", 2)[1]


def test_finding_2_rejected_key_never_works(client, beheer, officer, resident):
    """Issue 12, finding 2: a rejected key stays refused."""
    token, secret = _mint_in_ui(client, beheer, resident)
    client.force_login(officer)
    response = client.post(reverse(APPROVALS), {"token": token.pk, "decision": "afwijzen"})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.approval == ApiToken.Approval.REJECTED
    assert _bearer(secret).get(RESIDENTS).status_code in (401, 403)
    with pytest.raises(DomainError):
        services.token_approve(token=token, by=officer)


def test_finding_2_four_eyes_only_the_privacy_officer_and_never_the_requester(
    client, beheer, officer, resident
):
    """Issue 12, finding 2: beheer cannot approve (page 403, service refuses); a privacy officer
    cannot approve a key they requested themselves."""
    token, _secret = _mint_in_ui(client, beheer, resident)
    client.force_login(beheer)
    assert client.get(reverse(APPROVALS)).status_code == 403
    assert (
        client.post(reverse(APPROVALS), {"token": token.pk, "decision": "goedkeuren"}).status_code
        == 403
    )
    with pytest.raises(DomainError):
        services.token_approve(token=token, by=beheer)
    account = services.service_account_create(
        username="uwv", municipality=resident.municipality, description="UWV"
    )
    own, _ = services.token_issue(
        user=account, name="eigen", scopes=["caseload:read"], created_by=officer
    )
    with pytest.raises(DomainError):
        services.token_approve(token=own, by=officer)
    client.force_login(officer)
    response = client.post(reverse(APPROVALS), {"token": own.pk, "decision": "goedkeuren"})
    assert response.status_code == 422
    own.refresh_from_db()
    assert own.approval == ApiToken.Approval.PENDING
    token.refresh_from_db()
    assert token.approval == ApiToken.Approval.PENDING


def test_finding_2_key_without_resident_data_needs_no_approval(client, beheer, resident):
    """Issue 12, finding 2: aggregate scopes (indicators, budget) work at once."""
    token, secret = _mint_in_ui(client, beheer, resident, scopes=("indicators:read",))
    assert token.approval == ApiToken.Approval.NOT_REQUIRED
    assert _bearer(secret).get("/api/v1/indicators/values/").status_code != 401


def test_finding_2_keys_expire_by_default_and_expired_keys_are_refused(settings, officer, resident):
    """Issue 12, finding 2: API_TOKEN_DEFAULT_LIFETIME_DAYS (default 90) sets the expiry."""
    account = services.service_account_create(
        username="wsp", municipality=resident.municipality, description="WSP"
    )
    beheer = factories.UserFactory(beheer=True)
    token, secret = services.token_issue(
        user=account, name="wsp", scopes=["caseload:read"], created_by=beheer
    )
    assert settings.API_TOKEN_DEFAULT_LIFETIME_DAYS == 90
    expected = timezone.now() + dt.timedelta(days=90)
    assert abs((token.expires_at - expected).total_seconds()) < 60
    services.token_approve(token=token, by=officer)
    assert _bearer(secret).get(RESIDENTS).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    assert _bearer(secret).get(RESIDENTS).status_code == 401

    settings.API_TOKEN_DEFAULT_LIFETIME_DAYS = 7
    short, _ = services.token_issue(
        user=account, name="kort", scopes=["indicators:read"], created_by=beheer
    )
    assert abs((short.expires_at - (timezone.now() + dt.timedelta(days=7))).total_seconds()) < 60


def test_finding_2_processing_records_name_the_requester_and_the_approver(
    client, beheer, officer, resident
):
    """Issue 12, finding 2: a read with the key names the service account, the key, the
    requester and the approver in the processing log."""
    token, secret = _mint_in_ui(client, beheer, resident)
    services.token_approve(token=token, by=officer)
    assert _bearer(secret).get(f"{RESIDENTS}{resident.pk}/").status_code == 200
    record = ProcessingRecord.objects.filter(username="datawarehouse").latest("id")
    assert "datawarehouse" in record.accountable
    assert token.prefix in record.accountable and "dwh-koppeling" in record.accountable
    assert "aangevraagd door fb_jansen" in record.accountable
    assert "goedgekeurd door po_devries" in record.accountable


def test_finding_2_navigation_links_the_approval_page_for_the_privacy_officer(beheer, officer):
    """Issue 12, finding 2: the menu of role privacy has the approval page; beheer's not."""
    assert reverse(APPROVALS) in [item["url"] for item in nav_for(officer)]
    assert reverse(APPROVALS) not in [item["url"] for item in nav_for(beheer)]


def test_finding_2_admin_cannot_widen_or_approve_a_key(client, beheer, officer, resident):
    """Issue 12, finding 2: the Django admin shows keys read-only (no scope or approval edit)."""
    from django.contrib import admin

    from apiauth.admin import ApiTokenAdmin

    token, _ = _mint_in_ui(client, beheer, resident)
    model_admin = ApiTokenAdmin(ApiToken, admin.site)
    # not even a technical administrator: approval happens only on the privacy officer's page
    request = type("R", (), {"user": factories.UserFactory(is_superuser=True, is_staff=True)})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, token)
