"""Review of `983324c` (issue 17 round), finding 5 (these tests fail on `983324c`): the new-application page's BSN step
(``registers:start``, ``/aanvraag/nieuw/``) has no BSN-search rate limit.

Issue 12, finding 5 put the API's registration check under the strict ``bsn_search`` limit
(``caseload/api/residents.py`` ``get_throttles``), because it is an existence oracle. The page's
step 1 (``registers/views.py`` ``start``) answers three ways for any typed BSN: the dossier (own
team), "kan hier niet worden geregistreerd" (a resident elsewhere in the municipality) or a BRP
look-up that returns the person's name, birth date and address from the BRP (everyone else in
the country). None of it is counted: a consulent (or a stolen session) can enumerate BSNs of
the municipality's residents and harvest BRP data at full speed.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_registration_bsn_step_is_rate_limited_like_the_bsn_search():
    municipality = factories.MunicipalityFactory()
    team_a = factories.TeamFactory(municipality=municipality, name="Team A")
    team_b = factories.TeamFactory(municipality=municipality, name="Team B")
    consulent = factories.UserFactory(team=team_a)
    elsewhere = factories.ResidentFactory(
        household=factories.HouseholdFactory(municipality=municipality), team=team_b
    )
    cache.clear()
    rest = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"client": "100/minute", "bsn_search": "2/minute"},
    }
    client = Client()
    client.force_login(consulent)
    statuses = []
    with override_settings(REST_FRAMEWORK=rest):
        for _ in range(6):
            response = client.post(reverse("registers:start"), {"bsn": elsewhere.bsn})
            statuses.append(response.status_code)
    cache.clear()
    assert 429 in statuses and 503 not in statuses, (
        f"6 BSN checks on the registration page at a limit of 2/minute: {statuses}"
    )
