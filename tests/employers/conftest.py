from __future__ import annotations

import pytest

from caseload.models import Role
from tests import factories


@pytest.fixture
def municipality(db):
    return factories.MunicipalityFactory(name="Hilversum", cbs_code="GM0402")


@pytest.fixture
def accountmanager(db):
    return factories.UserFactory(username="am", role=Role.ACCOUNT_MANAGER, team=None)
