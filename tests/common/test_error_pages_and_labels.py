"""Issue 14, "forms, language and look": error pages with what to do next, a favicon, fields
that another choice makes required say so, no noise on search filters."""

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse

from common import views
from tests import factories

pytestmark = pytest.mark.django_db


def test_finding_404_is_dutch_in_the_layout_with_next_steps(client, consulent):
    """Issue 14: 403/404/500 pages are Dutch, in the site's layout, with what the user can do
    next (was: one link to the start page)."""
    client.force_login(consulent)
    r = client.get(reverse("caseload:dossier", args=[10**9]))
    html = r.content.decode()
    assert r.status_code == 404
    assert "Pagina niet gevonden" in html and "Wat kunt u doen?" in html
    assert 'class="app-header"' in html  # the site's layout, with the menu
    assert reverse("caseload:worklist") in html and "Naar de caseload" in html
    assert "Zoek de inwoner opnieuw" in html


def test_a_404_suggests_the_caseload_only_to_who_may_open_it(client):
    """The walk of 4 December: the manager's, finance's and the region's 404 told them to look
    the resident up in the caseload, which they may not open."""
    client.force_login(factories.UserFactory(role="manager", team=None))
    r = client.get("/bestaat-niet/")
    html = r.content.decode()
    assert r.status_code == 404 and "Wat kunt u doen?" in html
    assert "Zoek de inwoner opnieuw" not in html and "Naar de caseload" not in html


def test_finding_403_has_next_steps(client):
    """Issue 14: the 403 page says what to do next."""
    manager = factories.UserFactory(role="manager", team=None)
    client.force_login(manager)
    r = client.get(reverse("caseload:worklist"))
    html = r.content.decode()
    assert r.status_code == 403
    assert "Geen toegang" in html and "Wat kunt u doen?" in html and "teamleider" in html
    assert "Naar de caseload" not in html  # not offered to someone who may not open it


def test_finding_500_renders_without_database_or_context(django_assert_num_queries):
    """Issue 14: the 500 page renders in the layout without the database and without context
    processors (they may be what failed), and says what to do next."""
    request = RequestFactory().get("/caseload/")
    with django_assert_num_queries(0):
        response = views.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis" in html and "Wat kunt u doen?" in html
    assert "functioneel beheerder" in html and 'lang="nl"' in html


def test_finding_favicon_is_linked_and_served_locally(client, consulent):
    """Issue 14: a favicon, an SVG in static/, no CDN."""
    assert finders.find("favicon.svg")
    client.force_login(consulent)
    html = client.get(reverse("caseload:worklist")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


def test_finding_conditionally_required_fields_say_so(client, resident, open_benefit):
    """Issue 14, labels: a field that becomes required by another choice says so (the outflow
    form is shown to a resident with a running benefit only)."""
    client.force_login(resident.consulent)
    html = client.get(reverse("caseload:outflow_record", args=[resident.pk])).content.decode()
    assert html.count("Verplicht bij reden werk.") == 2  # hours and contract
    html = client.get(reverse("intake:plan", args=[resident.pk])).content.decode()
    assert "Verplicht bij gedeeltelijke uitstroom" in html


def test_finding_search_filters_carry_no_required_noise(client, consulent):
    """Issue 14, labels: no "(niet verplicht)" or "(verplicht)" on the worklist's filters."""
    client.force_login(consulent)
    html = client.get(reverse("caseload:worklist")).content.decode()
    filters = html[html.index('class="app-filters"') :]
    filters = filters[: filters.index("</form>")]
    assert "verplicht" not in filters


def test_walk_4_december_labels_say_what_the_form_asks(client, resident, open_benefit):
    """The walk of 4 December: the optional plan actions 2 and 3 read "Uitvoerder actie 2
    (verplicht)"; the reassignment's selects started on "---------"; the trajectory correction
    showed a cost the consulent never typed, without a word where it came from."""
    from tests import factories

    client.force_login(resident.consulent)
    html = client.get(reverse("intake:plan", args=[resident.pk])).content.decode()
    for n in (1, 2, 3):
        label = html.split(f'for="id_action_{n}_owner"', 1)[1].split("</label>", 1)[0]
        assert f"Uitvoerder actie {n}" in label and "verplicht" not in label

    trajectory = factories.TrajectoryFactory(resident=resident, created_by=resident.consulent)
    url = reverse("caseload:fact_correct", args=[resident.pk, "traject", trajectory.pk])
    html = client.get(url).content.decode()
    assert "Bij de start ingevuld met de standaardkosten van het instrument" in html

    teamleider = factories.UserFactory(teamleider=True, team=resident.team)
    client.force_login(teamleider)
    html = client.get(reverse("caseload:reassign", args=[resident.pk])).content.decode()
    assert "---------" not in html
    assert "— kies een team —" in html and "— geen vaste consulent —" in html
