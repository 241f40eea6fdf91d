"""A refused save on a long page says so at the top, with a link to each field in error (the
walk of 4 December: on the targets page and the budget page the page came back at the top with
the only message thousands of pixels further down)."""

import pytest
from django.urls import reverse

from indicators.models import Target
from tests import factories

pytestmark = pytest.mark.django_db


def _summary(page: str, field: str) -> str:
    assert 'id="foutmeldingen"' in page
    summary = page.split('id="foutmeldingen"', 1)[1].split("</div>", 1)[0]
    # at the top: before the field in error
    assert page.index('id="foutmeldingen"') < page.index(f'name="{field}"')
    return summary


def test_targets_page_lists_each_error_at_the_top(client):
    municipality = factories.MunicipalityFactory()
    client.force_login(factories.UserFactory(beheer=True, municipality=municipality))
    url = reverse("indicators:targets") + f"?jaar=2026&gemeente={municipality.pk}"
    assert 'id="foutmeldingen"' not in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "jaar": 2026,
            "gemeente": municipality.pk,
            "outflow_to_work-target": "abc",
            "contact_in_beeld-target": "120",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    summary = _summary(page, "outflow_to_work-target")
    assert "Het formulier is niet opgeslagen: 2 fouten." in summary
    assert 'href="#id_outflow_to_work-target">Uitstroom naar werk, Streefwaarde</a>' in summary
    assert "Vul een getal in" in summary
    assert 'value="abc"' in page  # what was typed stays
    assert not Target.objects.exists()


def test_budget_page_lists_the_memorial_booking_error_at_the_top(client):
    municipality = factories.MunicipalityFactory()
    client.force_login(factories.UserFactory(finance=True, municipality=municipality))
    url = reverse("budget:overview") + f"?jaar=2026&gemeente={municipality.pk}"
    page = client.get(url).content.decode()
    assert 'id="foutmeldingen"' not in page
    fields = [n for n in ("corr-month", "corr-regime", "corr-amount") if f'name="{n}"' in page]
    assert "corr-amount" in fields, fields
    response = client.post(url, {"jaar": 2026, "gemeente": municipality.pk, "corr-amount": "abc"})
    assert response.status_code == 422
    summary = _summary(response.content.decode(), "corr-amount")
    assert 'href="#id_corr-amount"' in summary


def test_the_case_forms_list_each_error_with_a_link(client):
    """The walk of 4 December: the contact, trajectory, group and outflow forms, the corrections
    and the registration said "Het formulier bevat fouten" without links; the vangnet simulator
    and the BUIG report said nothing at the top. Each lists every error as a link to its field."""
    team = factories.TeamFactory()
    consulent = factories.UserFactory(team=team)
    resident = factories.ResidentFactory(team=team, consulent=consulent)
    client.force_login(consulent)
    url = reverse("caseload:contact_record", args=[resident.pk])
    response = client.post(url, {"occurred_on": "gisteren", "channel": ""})
    assert response.status_code == 422
    summary = _summary(response.content.decode(), "occurred_on")
    assert 'href="#id_occurred_on"' in summary and 'href="#id_channel"' in summary
    start = client.post(reverse("registers:start"), {"bsn": "12345"})
    assert 'href="#id_bsn"' in _summary(start.content.decode(), "bsn")

    municipality = factories.MunicipalityFactory()
    client.force_login(factories.UserFactory(finance=True, municipality=municipality))
    vangnet = client.post(
        reverse("budget:vangnet") + f"?jaar=2026&gemeente={municipality.pk}",
        {"year": "2026", "budget": "veel", "netto_lasten": "100"},
    )
    assert vangnet.status_code == 422
    assert 'href="#id_budget"' in _summary(vangnet.content.decode(), "budget")
