"""Each demo municipality's dashboard shows its own seed's targets (issue 17): after the demo
load and ``load_indicator_targets`` (what ``make run`` does), the municipality's manager opens
the dashboard and finds the seed's figures on the indicator cards."""

from __future__ import annotations

import html
import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from caseload import models as m
from caseload.demo import generate_region
from caseload.demo.parameters import AMERSFOORT, DEN_BOSCH, GRONINGEN, HILVERSUM
from indicators.fill import indicator_values_fill

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 22)

#: (profile, manager login, year, {indicator code: (target text, baseline text or None)}); the
#: figures as the seeds state them (/work/shared/seeds, DOMAIN.md section 4)
CASES = [
    (HILVERSUM, "manager", 2019, {"outflow.to_work": ("267", "214")}),
    (
        GRONINGEN,
        "manager.groningen",
        2021,
        {
            "beschut.quota": ("138", "119"),
            "contact.in_beeld": ("90,0%", "74,0%"),
            "outflow.regular_work": ("1.200", None),
            "wsw.detachering": ("585", None),
            "wsw.begeleid_werken": ("90", None),
        },
    ),
    (
        GRONINGEN,
        "manager.groningen",
        2020,
        {"beschut.quota": ("119", "90"), "contact.in_beeld": ("82,0%", "74,0%")},
    ),
    (
        DEN_BOSCH,
        "manager.denbosch",
        2018,
        {
            "support.nieuw_beschut_fte": ("60", None),
            "support.loonkostensubsidie_fte": ("223", None),
            "banenafspraak.jobs": ("1.744", None),
            "prevention.ww_no_application": ("50,0%", None),
            "ondernemers.bbz_no_pwet_application": ("75,0%", None),
            "jongeren.vso_pro_placed": ("70", None),
            "participation.parttime_ondernemers": ("196", None),
            "participation.werkervaringsplaatsen": ("150", None),
            "participation.dagbesteding": ("100", None),
            "support.without_benefit": ("150", None),
            "participation.taal_werkvloer_outflow": ("50", None),
        },
    ),
    (
        DEN_BOSCH,
        "manager.denbosch",
        2019,
        {
            "support.working_with_support": ("300", "0"),
            "outflow.pct_caseload": ("28,0%", None),
            "enforcement.fraud_effect": ("35,0%", None),
            "statushouders.with_plan": ("50,0%", None),
        },
    ),
    (
        AMERSFOORT,
        "manager.amersfoort",
        2018,
        {
            "caseload.size": ("3.275", "3.275"),
            "amersfoort.inflow": ("900", "900"),
            "amersfoort.bijstand_per_1000": ("39,0", "39,0"),
            "amersfoort.debt_applications": ("1.350", "1.400"),
            "enforcement.handhaving_ended_share": ("6,0%", "6,0%"),
        },
    ),
]


#: cards whose figure is large enough in the test's caseload not to be suppressed for a manager
#: (fewer than 5 shows "x" and then has no forecast, hence no status): these must show a status
#: against their target, never "Geen streefwaarde"
STATUS_CODES = {
    "outflow.to_work",
    "beschut.quota",
    "contact.in_beeld",
    "outflow.regular_work",
    "support.working_with_support",
    "caseload.size",
}


def _card(body: str, code: str) -> str:
    match = re.search(
        rf'<section class="app-indicator-card" aria-labelledby="h-{re.escape(code)}">(.*?)</section>',
        body,
        re.S,
    )
    assert match, f"no card for {code}"
    return match.group(1)


@pytest.mark.parametrize(
    ("profile", "login", "year", "expected"),
    CASES,
    ids=[f"{c[0].key or 'hilversum'}-{c[2]}" for c in CASES],
)
def test_the_dashboard_shows_the_seeds_targets(client, profile, login, year, expected):
    # history from the seed's base year, as make run loads it
    generate_region(today=TODAY, seed=11, reference_households=400, profiles=[profile])
    call_command("load_indicator_targets", "--from-year", "2018", stdout=StringIO())
    municipality = m.Municipality.objects.get(cbs_code=profile.cbs_code)
    indicator_values_fill(
        municipality_id=municipality.pk, codes=list(expected), year=year, today=TODAY
    )
    client.force_login(m.User.objects.get(username=login))
    response = client.get(f"/indicatoren/?jaar={year}")
    assert response.status_code == 200
    body = response.content.decode()
    assert html.escape(profile.name) in body
    for code, (target, baseline) in expected.items():
        card = _card(body, code)
        assert f"<dt>Streefwaarde</dt><dd>{target}</dd>" in card, (code, target)
        if baseline is not None:
            assert f"<dt>Nulmeting</dt><dd>{baseline}</dd>" in card, (code, baseline)
        if code in STATUS_CODES:
            assert "Geen streefwaarde" not in card, code


def test_a_count_of_one_plan_is_no_other_municipalitys_target(client):
    """Groningen's beschut quota is Groningen's: Hilversum's card keeps 'Geen streefwaarde'."""
    generate_region(today=TODAY, seed=11, reference_households=400, profiles=[HILVERSUM, GRONINGEN])
    call_command("load_indicator_targets", "--from-year", "2018", stdout=StringIO())
    for municipality in m.Municipality.objects.all():
        indicator_values_fill(
            municipality_id=municipality.pk, codes=["beschut.quota"], year=2021, today=TODAY
        )
    client.force_login(m.User.objects.get(username="manager"))
    body = client.get("/indicatoren/?jaar=2021").content.decode()
    assert "Geen streefwaarde" in _card(body, "beschut.quota")
    client.force_login(m.User.objects.get(username="manager.groningen"))
    body = client.get("/indicatoren/?jaar=2021").content.decode()
    assert "<dt>Streefwaarde</dt><dd>138</dd>" in _card(body, "beschut.quota")


@pytest.mark.parametrize(("cbs_code", "note"), [("GM0014", True), ("GM0402", False)])
def test_a_scaled_demo_municipality_says_so_on_its_dashboard(client, settings, cbs_code, note):
    """The walk of 3 December: Groningen's beschut werk read 42 against the council's 138, with
    nothing on the page saying the demo loads Groningen at 30 % of its caseload."""
    from tests import factories

    settings.DEMO_MODE = True
    municipality = factories.MunicipalityFactory(cbs_code=cbs_code, name="Demogemeente")
    manager = factories.UserFactory(role=m.Role.MANAGER, team=None)
    manager.municipality = municipality
    manager.save(update_fields=["municipality"])
    client.force_login(manager)
    body = client.get("/indicatoren/").content.decode()
    assert ("Demo: Demogemeente is geladen op 30% van het werkelijke bestand" in body) is note
    # and on an indicator's own page (the walk of 3 December, night: 42 against 138 there)
    body = client.get("/indicatoren/beschut.quota/").content.decode()
    assert ("Demo: Demogemeente is geladen op 30% van het werkelijke bestand" in body) is note
    settings.DEMO_MODE = False
    assert "is geladen op" not in client.get("/indicatoren/").content.decode()
