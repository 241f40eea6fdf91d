"""Workspace views: worklist, dossier, forms, access control, query counts."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from caseload import models
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _resident(team, consulent, **kw):
    return factories.ResidentFactory(
        team=team, consulent=consulent, household__municipality=team.municipality, **kw
    )


@pytest.fixture
def client_c(client, consulent):
    client.force_login(consulent)
    return client


def test_worklist_lists_my_residents_with_columns(client_c, resident, consulent, team):
    factories.GroupAssignmentFactory(resident=resident, group=2, decided_by=consulent)
    inst = factories.InstrumentFactory(name="Werkfit")
    factories.TrajectoryFactory(resident=resident, instrument=inst, created_by=consulent)
    # a surname Faker does not draw: two residents with the same one made this test flaky
    other = _resident(team, factories.UserFactory(team=team), last_name="Collega-Anders")
    r = client_c.get(reverse("caseload:worklist"))
    assert r.status_code == 200
    html = r.content.decode()
    # names as the template renders them (a Dutch surname may hold an apostrophe: van 't Hof)
    assert escape(resident.last_name) in html and "Werkfit" in html
    # issue 14: every filter starts empty, the whole team shows; "Mijn inwoners" is one click
    assert escape(other.last_name) in html
    html = client_c.get(reverse("caseload:worklist"), {"consulent": consulent.pk}).content.decode()
    assert escape(resident.last_name) in html and escape(other.last_name) not in html


def test_worklist_filters(client_c, consulent, team):
    a = _resident(team, consulent, last_name="Aalders")
    b = _resident(team, consulent, last_name="Bakker")
    factories.GroupAssignmentFactory(resident=a, group=1, decided_by=consulent)
    factories.GroupAssignmentFactory(
        resident=b, group=3, decided_by=consulent, reassess_on=TODAY + dt.timedelta(days=90)
    )
    models.ContactMoment.objects.create(
        resident=b, occurred_on=TODAY, channel="telefoon", by=consulent
    )
    url = reverse("caseload:worklist")
    html = client_c.get(url, {"group": 1}).content.decode()
    assert "Aalders" in html and "Bakker" not in html
    html = client_c.get(url, {"contact_overdue": "1"}).content.decode()
    assert "Aalders" in html and "Bakker" not in html
    html = client_c.get(url, {"reassessment_due": "1"}).content.decode()
    assert "Aalders" in html and "Bakker" not in html  # a's reassess_on is in the past
    html = client_c.get(url, {"q": "bakk"}).content.decode()
    assert "Bakker" in html and "Aalders" not in html


def test_worklist_keyset_pagination(client_c, consulent, team, monkeypatch):
    from caseload import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for name in ["A", "B", "C", "D", "E"]:
        _resident(team, consulent, last_name=f"Naam{name}")
    url = reverse("caseload:worklist")
    r = client_c.get(url)
    seen = []
    while True:
        seen += [
            n for n in ["NaamA", "NaamB", "NaamC", "NaamD", "NaamE"] if n in r.content.decode()
        ]
        nxt = r.context["next_query"]
        if not nxt:
            break
        r = client_c.get(f"{url}?{nxt}")
    assert seen == ["NaamA", "NaamB", "NaamC", "NaamD", "NaamE"]


def test_a_later_worklist_page_links_back(client_c, consulent, team, monkeypatch):
    """The walk of 4 December: a later page had only "Volgende pagina". It links to the first
    page (with the same filters), and in a sorted view, which pages by number, to the one
    before."""
    from caseload import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for name in ["A", "B", "C", "D", "E", "F", "G"]:
        _resident(team, consulent, last_name=f"Naam{name}")
    url = reverse("caseload:worklist")
    first = client_c.get(f"{url}?benefit=")
    assert "Eerste pagina" not in first.content.decode()
    second = client_c.get(f"{url}?{first.context['next_query']}")
    html = second.content.decode()
    assert "Eerste pagina" in html and 'href="?benefit="' in html
    sorted_view = {"sort": "-naam"}
    page3 = client_c.get(url, {**sorted_view, "pagina": "3"})
    assert page3.context["previous_query"] == "sort=-naam&pagina=2"
    assert 'rel="prev" href="?sort=-naam&amp;pagina=2"' in page3.content.decode()
    assert client_c.get(url, {**sorted_view, "pagina": "2"}).context["previous_query"] == (
        "sort=-naam"
    )


def _names_on(response) -> list[str]:
    return [r.last_name for r in response.context["residents"]]


def test_the_default_order_pages_back_by_keyset(client_c, consulent, team, monkeypatch):
    """The walk of 4 December: in the default order (by name, paged by keyset) a later page
    had no "Vorige pagina". It pages back before its first row (?voor=), with the filters, on
    the same pages as forward."""
    from caseload import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for name in ["A", "B", "C", "D", "E", "F", "G"]:
        _resident(team, consulent, last_name=f"Naam{name}")
    url = reverse("caseload:worklist")
    response = client_c.get(f"{url}?benefit=")
    assert response.context["previous_query"] is None
    forward = [_names_on(response)]
    while response.context["next_query"]:
        response = client_c.get(f"{url}?{response.context['next_query']}")
        forward.append(_names_on(response))
    assert forward == [["NaamA", "NaamB"], ["NaamC", "NaamD"], ["NaamE", "NaamF"], ["NaamG"]]
    back = []
    while response.context["previous_query"]:
        assert "benefit=" in response.context["previous_query"]  # the filters stay
        assert 'rel="prev"' in response.content.decode()
        response = client_c.get(f"{url}?{response.context['previous_query']}")
        back.append(_names_on(response))
    assert back == [["NaamE", "NaamF"], ["NaamC", "NaamD"], ["NaamA", "NaamB"]]
    # a page reached going back pages forward again from its last row
    page2 = client_c.get(f"{url}?benefit=&voor={_id('NaamE')}")
    assert _names_on(page2) == ["NaamC", "NaamD"]
    assert _names_on(client_c.get(f"{url}?{page2.context['next_query']}")) == ["NaamE", "NaamF"]
    # an anchor outside the list, or both directions at once: the first page
    assert _names_on(client_c.get(url, {"voor": "999999999"})) == ["NaamA", "NaamB"]
    # the review of 4 December: a "next" anchor that left the list (a resident reassigned
    # between two clicks) gives the first page without links back to itself
    gone = client_c.get(url, {"benefit": "", "na": "999999999"})
    assert _names_on(gone) == ["NaamA", "NaamB"]
    assert gone.context["previous_query"] is None
    assert "Eerste pagina" not in gone.content.decode()
    both = client_c.get(url, {"voor": _id("NaamE"), "na": _id("NaamB")})
    assert both.status_code == 400 and _names_on(both) == ["NaamA", "NaamB"]


def _id(last_name: str) -> str:
    from caseload.models import Resident

    return str(Resident.objects.get(last_name=last_name).pk)


def test_bsn_search_is_post_and_redirects_by_id(client_c, resident):
    r = client_c.post(reverse("caseload:worklist"), {"bsn-bsn": resident.bsn})
    assert r.status_code == 302
    assert r.url == reverse("caseload:dossier", args=[resident.pk])
    assert resident.bsn not in r.url
    r = client_c.get(r.url)
    assert resident.bsn not in r.content.decode()  # masked until "toon"
    r = client_c.post(reverse("caseload:dossier", args=[resident.pk]), {"toon_bsn": "1"})
    assert resident.bsn in r.content.decode()


def test_bsn_search_not_found_keeps_input(client_c):
    r = client_c.post(reverse("caseload:worklist"), {"bsn-bsn": "123456782"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "Geen inwoner met dit BSN" in html and 'value="123456782"' in html
    assert 'aria-describedby="id_bsn-bsn_error"' not in html or "id_bsn-bsn_error" in html


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_worklist_query_count_fixed(client_c, consulent, team):
    url = reverse("caseload:worklist")
    for _ in range(5):
        r = _resident(team, consulent)
        factories.GroupAssignmentFactory(resident=r, decided_by=consulent)
    small = _count(client_c, url)
    for _ in range(45):
        r = _resident(team, consulent)
        factories.GroupAssignmentFactory(resident=r, decided_by=consulent)
    assert _count(client_c, url) == small


def _history(resident, consulent, n):
    inst = factories.InstrumentFactory()
    for i in range(n):
        day = TODAY - dt.timedelta(days=i + 1)
        models.ContactMoment.objects.create(
            resident=resident, occurred_on=day, channel="telefoon", by=consulent
        )
        factories.TrajectoryFactory(
            resident=resident,
            instrument=inst,
            created_by=consulent,
            started_on=day,
            ended_on=day,
            result="afgerond",
        )


def test_dossier_query_count_fixed(client_c, resident, consulent, open_benefit):
    url = reverse("caseload:dossier", args=[resident.pk])
    _history(resident, consulent, 2)
    small = _count(client_c, url)
    _history(resident, consulent, 28)
    assert _count(client_c, url) == small


FORM_URLS = [
    "caseload:dossier",
    "caseload:trajectory_start",
    "caseload:outflow_record",
    "caseload:contact_record",
    "caseload:ladder_record",
    "caseload:group_change",
    "caseload:reassign",
]


@pytest.mark.parametrize("name", FORM_URLS)
def test_other_team_gets_404(client, resident, name):
    other = factories.UserFactory(teamleider=True)
    client.force_login(other)
    url = reverse(name, args=[resident.pk])
    # issue #6: the dossier asks for a break-the-glass reason (403, nothing of the resident)
    expected = 403 if name == "caseload:dossier" else 404
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == expected
        assert (
            escape(resident.full_name) not in response.content.decode()
        )  # (a colleague may share the last name)


def test_trajectory_close_other_team_404(client, resident, consulent):
    t = factories.TrajectoryFactory(resident=resident, created_by=consulent)
    client.force_login(factories.UserFactory())
    url = reverse("caseload:trajectory_close", args=[resident.pk, t.pk])
    assert client.get(url).status_code == 404


def test_manager_cannot_open_dossier(client, resident):
    client.force_login(factories.UserFactory(manager=True))
    assert client.get(reverse("caseload:dossier", args=[resident.pk])).status_code in (403, 404)
    assert client.get(reverse("caseload:worklist")).status_code == 403


def test_start_and_close_trajectory(client_c, resident):
    inst = factories.InstrumentFactory(name="Werkstage")
    url = reverse("caseload:trajectory_start", args=[resident.pk])
    assert client_c.get(url).status_code == 200
    r = client_c.post(url, {"instrument": inst.pk, "started_on": "", "provider": "Aanbieder X"})
    assert r.status_code == 422
    html = r.content.decode()
    assert 'value="Aanbieder X"' in html and 'aria-describedby="id_started_on_error"' in html
    r = client_c.post(url, {"instrument": inst.pk, "started_on": TODAY.isoformat()})
    assert r.status_code == 302
    t = resident.trajectories.get()
    url = reverse("caseload:trajectory_close", args=[resident.pk, t.pk])
    r = client_c.post(url, {"ended_on": TODAY.isoformat(), "result": "afgerond"})
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.result == "afgerond"


def test_a_start_more_than_a_year_back_asks_to_be_confirmed(client_c, resident):
    """The walk of 4 December: a trajectory started on 1-1-2020 (years before the benefit) and
    one on 1-3-1990 were saved with "Opgeslagen." and nothing else. A start more than a year
    back is a question: the form comes back with what was typed and a box to confirm it."""
    from common import clock

    inst = factories.InstrumentFactory(name="Werkstage")
    url = reverse("caseload:trajectory_start", args=[resident.pk])
    assert 'name="confirm_started_on"' not in client_c.get(url).content.decode()
    old = clock.today().replace(year=clock.today().year - 3, day=1)
    data = {"instrument": inst.pk, "started_on": old.isoformat(), "provider": "Aanbieder X"}
    r = client_c.post(url, data)
    assert r.status_code == 422
    html = r.content.decode()
    assert f"De startdatum {old.day}-{old.month}-{old.year} ligt meer dan een jaar terug" in html
    assert 'name="confirm_started_on"' in html and 'value="Aanbieder X"' in html
    assert not resident.trajectories.exists()
    assert client_c.post(url, {**data, "confirm_started_on": "on"}).status_code == 302
    assert resident.trajectories.get().started_on == old
    # within the year: no question
    recent = clock.today() - dt.timedelta(days=200)
    r = client_c.post(
        url, {"instrument": factories.InstrumentFactory().pk, "started_on": recent.isoformat()}
    )
    assert r.status_code == 302


def test_outflow_partial(client_c, resident, open_benefit):
    url = reverse("caseload:outflow_record", args=[resident.pk])
    data = {
        "kind": "gedeeltelijk",
        "reason": "werk",
        "occurred_on": TODAY.isoformat(),
        "hours_per_week": "16",
        "employer": "Bakkerij De Korf",
        "sector": "Detailhandel",
        "contract_type": "tijdelijk",
    }
    bad = {**data, "occurred_on": (TODAY + dt.timedelta(days=30)).isoformat()}
    r = client_c.post(url, bad)
    assert r.status_code == 422 and "Bakkerij De Korf" in r.content.decode()
    assert client_c.post(url, data).status_code == 302
    assert resident.outflows.get().employer == "Bakkerij De Korf"
    html = client_c.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert "Gedeeltelijke uitstroom" in html and "((" not in html
    assert "Uitstroom vastleggen" in html  # the benefit runs on
    # the walk of 4 December: after a full outflow the action led to "geen lopende uitkering"
    assert (
        client_c.post(url, {**data, "kind": "volledig", "hours_per_week": "36"}).status_code == 302
    )
    html = client_c.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert "Volledige uitstroom" in html and "Uitstroom vastleggen" not in html


def test_contact_ladder_group(client_c, resident):
    contact = reverse("caseload:contact_record", args=[resident.pk])
    r = client_c.post(contact, {"occurred_on": "", "channel": "telefoon", "summary": "Gebeld"})
    assert r.status_code == 422 and "Gebeld" in r.content.decode()
    assert (
        client_c.post(
            contact, {"occurred_on": TODAY.isoformat(), "channel": "telefoon"}
        ).status_code
        == 302
    )
    ladder = reverse("caseload:ladder_record", args=[resident.pk])
    r = client_c.post(ladder, {"measured_on": "2999-01-01", "step": "3"})
    assert r.status_code == 422
    assert client_c.post(ladder, {"measured_on": TODAY.isoformat(), "step": "3"}).status_code == 302
    group = reverse("caseload:group_change", args=[resident.pk])
    r = client_c.post(group, {"group": "2", "reason": ""})
    assert r.status_code == 422 and "id_reason_error" in r.content.decode()
    assert client_c.post(group, {"group": "2", "reason": "Intake"}).status_code == 302
    html = client_c.get(reverse("caseload:dossier", args=[resident.pk])).content.decode()
    assert "Contact: telefoon" in html and "trede 3" in html and "Groep 2" in html


def test_contact_form_date_defaults_to_the_municipalitys_today(client_c, resident):
    """Walk-through finding: the contact form's date was empty. It is today in Amsterdam (half
    past midnight on 2 December there is still 1 December in UTC)."""
    from common import clock

    url = reverse("caseload:contact_record", args=[resident.pk])
    with clock.frozen(dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)):
        html = client_c.get(url).content.decode()
    assert 'name="occurred_on" value="2026-12-02"' in html


def test_reassign_by_teamleider(client, resident, team):
    lead = factories.UserFactory(team=team, teamleider=True)
    target = factories.UserFactory(team=team)
    client.force_login(lead)
    url = reverse("caseload:reassign", args=[resident.pk])
    other_team = factories.TeamFactory(municipality=team.municipality)
    r = client.post(url, {"team": team.pk, "consulent": factories.UserFactory(team=other_team).pk})
    assert r.status_code == 422
    assert client.post(url, {"team": team.pk, "consulent": target.pk}).status_code == 302
    resident.refresh_from_db()
    assert resident.consulent == target
    html = client.get(reverse("caseload:worklist"), {"consulent": target.pk}).content.decode()
    assert escape(resident.last_name) in html


def test_consulent_cannot_reassign(client_c, resident):
    assert client_c.get(reverse("caseload:reassign", args=[resident.pk])).status_code == 403


def test_group_and_reassign_forms_start_from_what_is_now(client, client_c, resident, team):
    """The walk of 3 December: the group form neither showed nor chose the current group (a
    browser then defaults to Groep 1), and the reassign form listed consulenten by login
    (werk007) with neither the current team nor consulent chosen."""
    assert (
        client_c.post(
            reverse("caseload:group_change", args=[resident.pk]), {"group": "3", "reason": "x"}
        ).status_code
        == 302
    )
    html = client_c.get(reverse("caseload:group_change", args=[resident.pk])).content.decode()
    assert re.search(r'<option value="3"[^>]*selected', html)
    # without a current group nothing is chosen (the browser showed Groep 1 as if current)
    fresh = factories.ResidentFactory(
        team=resident.team, consulent=resident.consulent, household__municipality=team.municipality
    )
    html = client_c.get(reverse("caseload:group_change", args=[fresh.pk])).content.decode()
    assert re.search(r'<option value=""[^>]*selected', html) and "kies een groep" in html
    assert not re.search(r'<option value="[123]"[^>]*selected', html)
    lead = factories.UserFactory(team=team, teamleider=True)
    client.force_login(lead)
    html = client.get(reverse("caseload:reassign", args=[resident.pk])).content.decode()
    assert re.search(rf'<option value="{resident.team_id}"[^>]*selected', html)
    assert re.search(rf'<option value="{resident.consulent_id}"[^>]*selected', html)
    assert escape(f"{resident.consulent.get_full_name()} ({team})") in html


def test_a_start_exactly_a_year_back_is_no_question_in_a_leap_year():
    """The review of 4 December: 365 days is not a year after a 29 February; on 1-3-2024 a
    start on 1-3-2023 (exactly a year back) was asked to be confirmed."""
    from django.utils import timezone

    from caseload.forms import TrajectoryStartForm
    from caseload.models import Instrument
    from common import clock

    def asks(typed: str) -> bool:
        form = TrajectoryStartForm(
            data={"started_on": typed}, instruments=Instrument.objects.none()
        )
        return "confirm_started_on" in form.fields

    moment = timezone.make_aware(dt.datetime(2024, 3, 1, 12, 0))
    with clock.frozen(moment):
        assert not asks("2023-03-01")
        assert asks("2023-02-28")


def test_a_contact_more_than_a_year_back_asks_to_be_confirmed(client_c, resident):
    """The walk of 4 December: a contact on 1-1-1990 was saved for a resident known since
    November 2026, and "Laatste contact" read 1-1-1990. Like a trajectory's start, a date more
    than a year back is a question: the form comes back with what was typed and a box."""
    from common import clock

    url = reverse("caseload:contact_record", args=[resident.pk])
    old = clock.today().replace(year=clock.today().year - 3, day=1)
    data = {"occurred_on": old.isoformat(), "channel": "telefoon", "summary": "Naboeking"}
    r = client_c.post(url, data)
    assert r.status_code == 422
    html = r.content.decode()
    assert f"De datum {old.day}-{old.month}-{old.year} ligt meer dan een jaar terug" in html
    assert 'name="confirm_occurred_on"' in html and "Naboeking" in html
    assert html.index('name="occurred_on"') < html.index('name="confirm_occurred_on"')
    assert not resident.contacts.exists()
    assert client_c.post(url, {**data, "confirm_occurred_on": "on"}).status_code == 302
    assert resident.contacts.get().occurred_on == old
    recent = {**data, "occurred_on": (clock.today() - dt.timedelta(days=30)).isoformat()}
    done = client_c.post(url, recent, follow=True)
    # says what was recorded, not just "Opgeslagen." (the walk of 4 December)
    assert "Contactmoment vastgelegd." in done.content.decode()
