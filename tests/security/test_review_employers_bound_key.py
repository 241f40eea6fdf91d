"""Review of `983324c` (issue 17 round), finding 2 (these tests fail on `983324c`): an API key bound to one municipality
(``ApiToken.municipality``) registers an employer in another municipality.

``employers/api.py`` ``EmployerViewSet.create`` passes ``municipality_id=data.get("gemeente",
bound)`` and ``bound=True`` to ``caseload.selectors.municipality_for``, but that function checks
``bound`` only for staff in a team; for an account manager (no team, no ``User.municipality``) it
returns any municipality that exists. The ``employers_employer`` table has no row-level security
policy, so the row is written; the answer is then a 500 (the re-read through the bound queryset
finds nothing) while the employer stays in the other municipality.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apiauth import services as api_services
from caseload.models import Role
from employers.models import Employer
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own = factories.MunicipalityFactory(name="Eigenstad", cbs_code="GM9941")
    other = factories.MunicipalityFactory(name="Buurdorp", cbs_code="GM9942")
    accountmanager = factories.UserFactory(role=Role.ACCOUNT_MANAGER, team=None)
    token, secret = api_services.token_issue(
        user=accountmanager,
        name="wsp-sleutel eigenstad",
        scopes=["employers:read", "employers:write"],
        municipality=own,
        created_by=factories.UserFactory(beheer=True),
    )
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)
    return {"own": own, "other": other, "client": client}


def _create(client, **extra):
    body = {"name": "Bakkerij De Korf", "kvk_number": "12345678", "sbi_code": "1071", **extra}
    return client.post("/api/v1/employers/employers/", body, format="json")


def test_control_a_bound_key_registers_in_its_own_municipality(world):
    response = _create(world["client"])
    assert response.status_code == 201, response.content
    assert response.json()["municipality"] == world["own"].pk


def test_a_bound_key_cannot_register_an_employer_in_another_municipality(world):
    response = _create(world["client"], gemeente=world["other"].pk)
    written = Employer.objects.filter(municipality=world["other"]).count()
    assert (response.status_code, written) == (404, 0), (
        f"key bound to {world['own'].name}: status {response.status_code}, "
        f"{written} employer(s) written in {world['other'].name}"
    )
