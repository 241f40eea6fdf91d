"""The privacy officer's search for a person who is no resident (BRP look-ups of abandoned
registrations), past its first page: the next pages have an address of their own, the signed
pseudonym of the BSN, never the BSN (docs/security.md section 14, noted and left: the paging
links led back to the empty search form, so records 51 and on could not be read)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from privacy.log import processing_record_write
from privacy.models import Action, ProcessingRecord, Purpose
from privacy.pseudonym import person_pseudonym
from tests import factories

pytestmark = pytest.mark.django_db

BSN = "999900055"
SEARCH = reverse("privacy:log_search")


@pytest.fixture
def looked_up_often():
    clerk = factories.UserFactory()
    for n in range(55):
        processing_record_write(
            user=clerk,
            action=Action.READ,
            object_type="brp_persoon",
            object_id=f"look-up {n}",
            subjects=[person_pseudonym(BSN)],
            purpose=Purpose.SERVICE,
        )
    return clerk


def _next_link(html: str) -> str:
    match = re.search(r'href="([^"]+)">Volgende<', html)
    assert match, "no link to the next page"
    return match.group(1).replace("&amp;", "&")


def test_the_pages_after_the_first_are_addressed_without_the_bsn(client, looked_up_often):
    officer = factories.UserFactory(privacy=True)
    client.force_login(officer)
    first = client.post(SEARCH, {"inwoner-bsn": BSN})
    html = first.content.decode()
    assert first.status_code == 200 and "Pagina 1 van 2" in html and BSN not in html
    link = _next_link(html)
    assert link.startswith("/privacy/verwerkingen/persoon/")
    assert BSN not in link and person_pseudonym(BSN) not in link
    before = ProcessingRecord.objects.count()
    second = client.get(link)
    page = second.content.decode()
    assert second.status_code == 200 and "Pagina 2 van 2" in page
    # 55 look-ups and the first page's search record, newest first: the 6 oldest look-ups
    assert page.count("look-up ") == 6
    assert re.search(r"look-up 0\s*<", page) and not re.search(r"look-up 6\s*<", page)
    (record,) = ProcessingRecord.objects.order_by("id")[before:]
    assert record.action == Action.SEARCH and record.subjects == [person_pseudonym(BSN)]
    assert record.user_id == officer.pk
    # the pages stay put: each page view's own record comes after the search they belong to
    again = client.get(link).content.decode()
    assert "Pagina 2 van 2" in again and again.count("look-up ") == 6
    back = client.get(_previous_link(again)).content.decode()
    assert "Pagina 1 van 2" in back and back.count("look-up ") == 49


def _previous_link(html: str) -> str:
    match = re.search(r'href="([^"]+)">Vorige<', html)
    assert match, "no link to the previous page"
    return match.group(1).replace("&amp;", "&")


def test_a_forged_or_foreign_address_finds_nothing(client, looked_up_often):
    officer = factories.UserFactory(privacy=True)
    client.force_login(officer)
    link = _next_link(client.post(SEARCH, {"inwoner-bsn": BSN}).content.decode())
    token = link.split("/")[-2]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("privacy:log_person", args=[forged])).status_code == 404
    # another privacy officer: the address is of the first one's search
    client.force_login(factories.UserFactory(privacy=True))
    assert client.get(link).status_code == 404
    consulent = factories.UserFactory()
    client.force_login(consulent)
    assert client.get(link).status_code == 403
