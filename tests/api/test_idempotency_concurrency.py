"""Two simultaneous requests with the same Idempotency-Key create one record."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from apiauth import services as apiauth_services
from caseload.models import ContactMoment
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_concurrent_requests_with_one_key_create_once():
    team = factories.TeamFactory()
    resident = factories.ResidentFactory(team=team, household__municipality=team.municipality)
    user = apiauth_services.service_account_create(username="race", municipality=team.municipality)
    token, secret = apiauth_services.token_issue(user=user, name="race", scopes=["caseload:write"])
    factories.api_token_approve(token)
    payload = {"resident": resident.pk, "occurred_on": "2026-01-05", "channel": "telefoon"}
    barrier = threading.Barrier(4)
    results = []

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        barrier.wait()
        try:
            response = client.post(
                "/api/v1/caseload/contact-moments/",
                payload,
                format="json",
                HTTP_IDEMPOTENCY_KEY="race-key",
            )
            results.append((response.status_code, response.json()["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [code for code, _ in results] == [201] * 4
    assert len({pk for _, pk in results}) == 1
    assert ContactMoment.objects.count() == 1
