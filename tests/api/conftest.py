import pytest
from rest_framework.test import APIClient

from apiauth import services as apiauth_services
from tests import factories


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def municipality(team):
    return team.municipality


@pytest.fixture
def service_account(municipality):
    return apiauth_services.service_account_create(
        username="uitkeringsadministratie", municipality=municipality, description="Koppeling"
    )


@pytest.fixture
def make_token(service_account):
    """make_token(scopes, user=service_account, approved=True) -> (token, secret); a key with a
    resident-data scope is approved by a privacy officer unless ``approved=False``."""

    def make(scopes=("caseload:read", "caseload:write"), user=None, approved=True, **kwargs):
        token, secret = apiauth_services.token_issue(
            user=user or service_account, name="test", scopes=list(scopes), **kwargs
        )
        if approved and token.approval == token.Approval.PENDING:
            token = factories.api_token_approve(token)
        return token, secret

    return make


@pytest.fixture
def token_client(make_token):
    """An APIClient authenticated with a caseload read+write service-account token."""
    _, secret = make_token()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def consulent_client(consulent):
    client = APIClient()
    client.force_login(consulent)
    return client


@pytest.fixture
def beheerder(db):
    return factories.UserFactory(beheer=True)
