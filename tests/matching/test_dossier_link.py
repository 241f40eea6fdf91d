"""Issue 18: the consulent reaches the resident's profile and passende vacatures from the
dossier's action list (a URL by name in the template: caseload does not import matching)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_dossier_links_to_the_profile_and_it_to_the_vacancies(client, region):
    resident = region.resident()
    client.force_login(region.consulent)
    page = client.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    profile = reverse("matching:profile", args=[resident.pk])
    link = re.search(r'<ul class="[^"]*app-actions">(.*?)</ul>', page, re.S).group(1)
    assert f'href="{profile}">Profiel en passende vacatures</a>' in link
    response = client.get(profile)
    assert response.status_code == 200
    assert reverse("matching:resident_vacancies", args=[resident.pk]) in response.content.decode()
