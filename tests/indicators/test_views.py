"""Dashboards, exports, API and the targets page: permissions, content and query counts."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from indicators.models import Target
from indicators.services import target_set
from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def filled(world):
    people = []
    for i in range(7):
        r, _ = world.on_benefit(start=D(2024, 1, 1))
        people.append(r)
        if i < 6:
            world.outflow(r, D(2025, 1 + i, 10))
    other_team = factories.TeamFactory(municipality=world.municipality, name="Jongeren")
    r, _ = world.on_benefit(start=D(2024, 1, 1), team=other_team)
    world.outflow(r, D(2025, 3, 3))
    target_set(
        municipality_id=world.municipality.pk,
        year=2025,
        code="outflow.to_work",
        baseline=Decimal(214),
        target=Decimal(267),
        note="Hilversum",
    )
    world.fill(year=2024)
    world.fill(year=2025)
    return world


def _login(client, **traits):
    user = factories.UserFactory(**traits)
    client.force_login(user)
    return user


CASE_TABLES = re.compile(r"caseload_(benefit|outflowevent|trajectory|contactmoment|application)")


def test_overview_for_manager_reads_stored_values_only(client, filled):
    _login(client, manager=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/indicatoren/?jaar=2025")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Uitstroom naar werk" in body
    assert '<progress id="progress-outflow.to_work" max="100" value="2">' in body
    assert "267" in body and "Niet gehaald" in body  # 2025 is over (the walk of 4 December)
    assert 'id="indicator-charts"' in body
    assert "<script>" not in body  # no inline JS (CSP)
    assert "static/indicators/dashboard.js" in body
    assert "<caption" in body  # data tables for screen readers
    assert not [q["sql"] for q in queries.captured_queries if CASE_TABLES.search(q["sql"])]
    # session, user, municipality, the version of the stored figures (the cache key of the
    # cards, indicators/dashboard_cache.py), targets, values, session save (in a savepoint),
    # and the national series' coverage for a card without its CBS figure (statline), read
    # for the card's cache key too (a new CBS import changes the card: 3 December)
    assert len(queries) <= 11
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/indicatoren/?jaar=2025").content.decode().count("<section") > 1
    # from the cache: no targets, no values (the coverage for the key)
    assert len(queries) <= 8


def test_overview_query_count_does_not_grow_with_data(
    client, filled, django_assert_max_num_queries
):
    _login(client, manager=True)
    client.get("/indicatoren/?jaar=2025")
    for _ in range(5):
        r, _ = filled.on_benefit()
        filled.outflow(r, D(2025, 8, 1))
    filled.fill()
    with django_assert_max_num_queries(10):  # the fill moved the version: cards rendered again
        assert client.get("/indicatoren/?jaar=2025").status_code == 200


@pytest.mark.parametrize("traits", [{}, {"privacy": True}])
def test_overview_refused_for_roles_without_dashboards(client, filled, traits):
    _login(client, **traits)
    assert client.get("/indicatoren/").status_code == 403
    assert client.get("/api/v1/indicators/values/?year=2025").status_code == 403


def test_overview_requires_login(client, filled):
    assert client.get("/indicatoren/").status_code == 302


def test_nav_item_for_manager(client, filled):
    _login(client, manager=True)
    assert 'href="/indicatoren/"' in client.get("/").content.decode()


def test_detail_hides_small_counts_for_aggregate_roles(client, filled):
    _login(client, manager=True)
    body = client.get("/indicatoren/outflow.to_work/?jaar=2025").content.decode()
    assert "Hilversumse definitie" in body
    assert "Naar team" in body
    # team Jongeren: 1 outflow, hidden; team Werk (6) too, else it is 7 - 1
    team_rows = re.findall(
        r'<th scope="row" class="utrecht-table__cell">(Werk|Jongeren)</th>\s*'
        r'<td class="utrecht-table__cell">([^<]*)</td>',
        body,
    )
    assert sorted(team_rows) == [("Jongeren", "x"), ("Werk", "x")]
    assert "Een x staat voor een afgeschermd cijfer" in body
    assert "Inwoners achter dit getal" not in body
    # a count has no numerator and denominator columns (second walk of 3 December: "211 211")
    assert ">Noemer</th>" not in body and ">Teller</th>" not in body


def test_detail_and_drill_down_for_teamleider(client, filled):
    user = _login(client, teamleider=True, team=filled.team)
    body = client.get("/indicatoren/outflow.to_work/?jaar=2025").content.decode()
    assert "afgeschermd" not in body
    assert "Inwoners achter dit getal" in body
    with CaptureQueriesContext(connection):
        response = client.get("/indicatoren/outflow.to_work/inwoners/?jaar=2025")
    assert response.status_code == 200
    names = response.context["residents"]
    assert len(names) == 6  # the seventh outflow is in another team: not visible
    assert all(r.team_id == user.team_id for r in names)
    # each name opens the dossier (the walk of 3 December: no links)
    body = response.content.decode()
    assert all(f'href="/caseload/inwoners/{r.pk}/"' in body for r in names)
    # how many, and why it can be fewer than the figure (the walk of 3 December: 106 names
    # under a figure of 108, no count)
    assert "6 inwoners in de teller" in body and "vaker telt" in body


def test_drill_down_refused_for_manager(client, filled):
    _login(client, manager=True)
    assert client.get("/indicatoren/outflow.to_work/inwoners/?jaar=2025").status_code == 403


def test_unknown_indicator_is_404(client, filled):
    _login(client, manager=True)
    assert client.get("/indicatoren/nope.x/").status_code == 404


def test_csv_export(client, filled):
    _login(client, manager=True)
    response = client.get("/indicatoren/export.csv?jaar=2025")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    # Dutch headers and breakdown names for people (walk of 3 December; the API keeps its keys)
    assert list(rows[0]) == [
        "code",
        "indicator",
        "periode",
        "uitsplitsing",
        "waarde",
        "teller",
        "noemer",
        "streefwaarde_jaar",
        "berekend_op",
    ]
    total = next(
        r
        for r in rows
        if r["code"] == "outflow.to_work" and r["periode"] == "2025" and r["uitsplitsing"] == ""
    )
    assert Decimal(total["waarde"].replace(",", ".")) == 7
    assert Decimal(total["streefwaarde_jaar"].replace(",", ".")) == 267
    # Dutch Excel reads "7.0000" as 70000 (walk of 3 December): a decimal comma, and the BOM
    # that tells it the file is UTF-8; a count as a count (it read "7,0000", the target
    # "267,00": second walk of 3 December)
    assert (total["waarde"], total["streefwaarde_jaar"]) == ("7", "267")
    assert response.content.startswith("\ufeff".encode())
    jongeren = next(
        r
        for r in rows
        if r["code"] == "outflow.to_work"
        and r["periode"] == "2025"
        and r["uitsplitsing"] == "team=Jongeren"
    )
    # hidden: the value says so as its teller does (it was empty)
    assert jongeren["teller"] == "x" and jongeren["waarde"] == "x"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", total["berekend_op"])  # no microseconds
    assert any(r["uitsplitsing"].startswith("wijk=") for r in rows)
    assert not any(r["uitsplitsing"].startswith("district=") for r in rows)
    # the breakdown's value as on the detail page (the walk of 4 December: regeling=pw)
    regimes = {r["uitsplitsing"] for r in rows if r["uitsplitsing"].startswith("regeling=")}
    assert "regeling=Participatiewet" in regimes and "regeling=pw" not in regimes


def test_xlsx_export(client, filled):
    _login(client, manager=True)
    response = client.get("/indicatoren/export.xlsx?jaar=2025")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("code", "indicator", "periode", "uitsplitsing")
    assert any(
        r[0] == "outflow.to_work" and r[2] == "2025" and r[3] is None and r[4] == 7
        for r in rows[1:]
    )


def test_api_values(client, filled):
    _login(client, manager=True)
    response = client.get("/api/v1/indicators/values/?year=2025")
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == 2025
    row = next(
        r
        for r in data["results"]
        if r["code"] == "outflow.to_work" and r["period"] == "2025" and not r["dimension"]
    )
    assert Decimal(row["value"]) == 7 and Decimal(row["target"]) == 267
    assert client.get("/api/v1/indicators/values/?year=abc").status_code == 400
    # one indicator (the walk of 3 December: ?code= was ignored)
    one = client.get("/api/v1/indicators/values/?year=2025&code=outflow.to_work").json()
    assert one["count"] > 0 and {r["code"] for r in one["results"]} == {"outflow.to_work"}
    assert one["count"] == sum(r["code"] == "outflow.to_work" for r in data["results"])
    unknown = client.get("/api/v1/indicators/values/?year=2025&code=bestaat.niet")
    assert unknown.status_code == 400 and "Onbekende indicator" in unknown.content.decode()


def test_targets_page_for_beheer(client, filled):
    _login(client, beheer=True)
    url = f"/indicatoren/streefwaarden/?jaar=2025&gemeente={filled.municipality.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "jaar": "2025",
            "gemeente": filled.municipality.pk,
            "contact_in_beeld-target": "120",
            "contact_in_beeld-note": "te hoog",
            "outflow_to_work-baseline": "214",
            "outflow_to_work-target": "267",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'value="120"' in body and 'aria-invalid="true"' in body
    assert not Target.objects.filter(code="contact.in_beeld").exists()
    response = client.post(
        url,
        {
            "jaar": "2025",
            "gemeente": filled.municipality.pk,
            "contact_in_beeld-target": "90",
            "outflow_to_work-baseline": "214",
            "outflow_to_work-target": "280",
        },
    )
    assert response.status_code == 302
    assert Target.objects.get(code="contact.in_beeld", year=2025).target == 90
    assert Target.objects.get(code="outflow.to_work", year=2025).target == 280


def test_targets_page_names_a_rule_with_the_other_rows_format_errors(client, filled):
    """The walk of 3 December: with a format error in one row, a target of 150 % in another
    passed unremarked (the rules ran only once every field was well-formed); the user fixed
    the format and was refused again. Now both are named on the first submit."""
    _login(client, beheer=True)
    url = f"/indicatoren/streefwaarden/?jaar=2025&gemeente={filled.municipality.pk}"
    response = client.post(
        url,
        {
            "jaar": "2025",
            "gemeente": filled.municipality.pk,
            "contact_in_beeld-target": "150",
            "outflow_to_work-target": "veel",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Een percentage ligt tussen 0 en 100." in body
    assert 'value="150"' in body and 'value="veel"' in body
    assert not Target.objects.filter(code="contact.in_beeld").exists()


def test_targets_page_refused_for_manager(client, filled):
    _login(client, manager=True)
    assert client.get("/indicatoren/streefwaarden/").status_code == 403


def test_admin_pages_for_superuser(client, filled):
    admin = factories.UserFactory(manager=True, is_staff=True, is_superuser=True)
    client.force_login(admin)
    for url in [
        "/beheer/indicators/target/",
        "/beheer/indicators/target/add/",
        "/beheer/indicators/manualvalue/add/",
        "/beheer/indicators/indicatorvalue/",
    ]:
        assert client.get(url).status_code == 200, url
    response = client.post(
        "/beheer/indicators/target/add/",
        {
            "municipality": filled.municipality.pk,
            "year": 2026,
            "code": "caseload.size",
            "baseline": "",
            "target": "2000",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert Target.objects.get(code="caseload.size", year=2026).updated_by == admin


def test_finding_13_municipality_bound_token_reads_only_its_municipality(client, filled):
    """Issue 12, finding 13: a key bound to a municipality cannot read another municipality's
    indicators through ``?municipality=``; without the parameter it reads its own."""
    from apiauth.services import token_issue

    other = factories.MunicipalityFactory(name="Andere gemeente", cbs_code="GM0001")
    reader = factories.UserFactory(manager=True)
    _, secret = token_issue(
        user=reader,
        name="dwh",
        scopes=["indicators:read"],
        municipality=filled.municipality,
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    url = "/api/v1/indicators/values/?year=2025"
    own = client.get(url, **headers)
    assert own.status_code == 200
    assert own.json()["municipality"] == filled.municipality.cbs_code
    assert client.get(f"{url}&municipality={filled.municipality.pk}", **headers).status_code == 200
    foreign = client.get(f"{url}&municipality={other.pk}", **headers)
    missing = client.get(f"{url}&municipality=999999", **headers)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json().keys() == missing.json().keys()


@pytest.mark.parametrize(
    "query",
    ["gemeente=%C2%B2", "gemeente=%D9%A3", "gemeente=-1", "gemeente=1e3", "gemeente=" + "9" * 40],
)
@pytest.mark.parametrize(
    "path",
    [
        "/indicatoren/",
        "/indicatoren/outflow.to_work/",
        "/indicatoren/export.csv",
        "/indicatoren/export.xlsx",
    ],
)
def test_finding_10_bad_municipality_parameter_is_a_404(client, filled, path, query):
    """Issue 12, finding 10: ``gemeente=²`` (``isdigit()`` but not ``int()``) and other
    non-numbers answer 404 like an unknown municipality, never 500."""
    _login(client, manager=True)
    assert client.get(f"{path}?jaar=2025&{query}").status_code == 404


@pytest.mark.parametrize("year", ["abc", "²", "", "99999", "1999", "2025" + "0" * 30])
def test_finding_10_bad_year_on_targets_form_is_a_400_page(client, filled, year):
    """Issue 12, finding 10: a bad ``jaar`` posted to the targets form gives a Dutch 400 page,
    not a 500 (and saves nothing)."""
    _login(client, beheer=True)
    response = client.post(
        "/indicatoren/streefwaarden/",
        {"jaar": year, "gemeente": filled.municipality.pk, "outflow_to_work-target": "300"},
    )
    assert response.status_code == 400
    assert "Kies een geldig jaar" in response.content.decode()
    assert not Target.objects.filter(target=300).exists()


def test_finding_10_bad_api_parameters_are_400(client, filled):
    """Issue 12, finding 10: the API answers bad parameters with its documented 400."""
    _login(client, manager=True)
    for query in ["year=abc", "year=%C2%B2", "municipality=%C2%B2", "municipality=0", "year=99999"]:
        assert client.get(f"/api/v1/indicators/values/?{query}").status_code == 400, query


def test_a_manual_indicator_without_values_says_who_enters_them(client, filled):
    """The walk of 3 December: "Netto arbeidsparticipatie" read "Nog geen berekende waarden"
    in every year, with no hint that functioneel beheer enters it."""
    _login(client, manager=True)
    body = client.get("/indicatoren/?jaar=2025").content.decode()
    start = body.index('aria-labelledby="h-bbv.netto_arbeidsparticipatie"')
    card = body[start : body.index("</section>", start)]
    assert "functioneel beheer voert het in" in card
    assert "Nog geen berekende waarden" not in card


def test_a_year_the_dashboard_cannot_show_is_said_not_swapped_silently(client, filled):
    """The walk of 4 December: ``?jaar=abc`` or ``1999`` showed this year without a word."""
    _login(client, manager=True)
    html = client.get("/indicatoren/?jaar=abc").content.decode()
    assert "Het jaar &#x27;abc&#x27; kan niet worden getoond" in html
    assert "kan niet worden getoond" not in client.get("/indicatoren/?jaar=2025").content.decode()
