"""The four demo municipalities of the seeds in one region (issue 17): ``generate_region``."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.http import Http404

from caseload import models as m
from caseload.demo import PROFILES, demo_logins, generate_demo, generate_region
from caseload.demo.parameters import (
    DEMO_SCALE,
    DEN_BOSCH,
    GRONINGEN,
    HILVERSUM,
    VSO_PRO_PLACED_SHARE,
)
from caseload.selectors import municipality_for
from indicators.models import IndicatorValue
from indicators.services import indicator_values_fill

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 22)
PASSWORD = "test-regio-wachtwoord"


@pytest.fixture
def region():
    return generate_region(
        today=TODAY, seed=5, reference_households=100, years=2, password=PASSWORD
    )


def test_four_municipalities_sized_after_their_seeds_in_one_region(region):
    municipalities = {mun.cbs_code: mun for mun in m.Municipality.objects.all()}
    assert set(municipalities) == {"GM0402", "GM0014", "GM0796", "GM0307"}
    assert {mun.region.name for mun in municipalities.values()} == {"Regio (demo)"}
    open_benefits = {
        code: m.Benefit.objects.filter(
            applicant__municipality__cbs_code=code, end_date__isnull=True
        )
        .values("household")
        .distinct()
        .count()
        for code in municipalities
    }
    # Hilversum 100; Groningen 11,000 x 0.3 x 100 / 2,200 = 150; 's-Hertogenbosch 4,300 -> 59;
    # Amersfoort 3,275 (its seed's caseload) -> 45
    assert open_benefits["GM0402"] == 100
    assert open_benefits["GM0014"] == round(11_000 * DEMO_SCALE * 100 / 2200) == 150
    assert open_benefits["GM0796"] == 59
    assert open_benefits["GM0307"] == 45
    # every resident's BSN is unique across the municipalities, and lives in one municipality
    bsns = list(m.Resident.objects.values_list("bsn", flat=True))
    assert len(bsns) == len(set(bsns))
    # each municipality has its seed's teams
    groningen_teams = set(
        m.Team.objects.filter(municipality__cbs_code="GM0014").values_list("name", flat=True)
    )
    assert {"Thuisin050", "Inkomen & Kansen in Kaart"} <= groningen_teams
    # its inhabitants as data with a source, scaled like its caseload
    year = m.MunicipalityYear.objects.get(municipality__cbs_code="GM0014", year=2025)
    assert year.population == GRONINGEN.population_in(2025)
    assert year.population == round((231_000 + 1_500 * 6) * DEMO_SCALE)
    assert "CBS" in year.population_source and "0,3" in year.population_source
    hilversum = m.MunicipalityYear.objects.get(municipality__cbs_code="GM0402", year=2025)
    assert hilversum.population == 90_500 + 350 * 5 == HILVERSUM.population_in(2025)


def test_every_demo_login_authenticates_and_works_where_it_belongs(region):
    logins = dict(demo_logins())
    assert {"consulent", "manager", "beheer", "accountmanager"} <= set(logins)
    assert {"consulent.groningen", "manager.denbosch", "manager.amersfoort", "regio"} <= set(logins)
    for username in logins:
        user = authenticate(username=username, password=PASSWORD)
        assert user is not None, username
    groningen = m.Municipality.objects.get(cbs_code="GM0014")
    hilversum = m.Municipality.objects.get(cbs_code="GM0402")
    consulent = m.User.objects.get(username="consulent.groningen")
    assert consulent.team.municipality == groningen
    assert consulent.team.kind == m.Team.Kind.WORK
    # a manager of a municipality sees that one only; another one asked for is a 404
    manager = m.User.objects.get(username="manager.groningen")
    assert municipality_for(user=manager) == (groningen, [])
    with pytest.raises(Http404):
        municipality_for(user=manager, municipality_id=hilversum.pk)
    # Hilversum's original logins keep working in Hilversum
    assert municipality_for(user=m.User.objects.get(username="manager")) == (hilversum, [])
    assert m.User.objects.get(username="consulent").team.municipality == hilversum
    # the regional login: no team, no municipality, the regional role
    regio = m.User.objects.get(username="regio")
    assert (regio.role, regio.team, regio.municipality) == (m.Role.REGION, None, None)


def test_a_single_municipality_loads_alone():
    counts = generate_region(
        today=TODAY, seed=5, reference_households=40, years=1, profiles=[PROFILES[1]]
    )
    assert list(counts) == ["GM0014"]
    assert list(m.Municipality.objects.values_list("cbs_code", flat=True)) == ["GM0014"]
    assert m.User.objects.filter(username="consulent.groningen").exists()
    assert not m.User.objects.filter(username="consulent").exists()


def test_demo_logins_prints_every_municipalitys_logins_and_the_regional_one(
    region, settings, monkeypatch
):
    from io import StringIO

    from django.core.management import call_command

    settings.DEMO_MODE = True
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for username in (
        "consulent",
        "accountmanager",
        "consulent.groningen",
        "teamleider.denbosch",
        "manager.denbosch",
        "manager.amersfoort",
        "financien.groningen",
        "regio",
    ):
        assert f" {username} " in text, username
    assert "Regionaal medewerker" in text
    # walk-through finding: Dutch, and every group headed by its municipality's display name
    assert "Open http://127.0.0.1:8000 en log in als een van deze gebruikers" in text
    headers = [
        line.strip() for line in text.splitlines() if line.startswith("  ") and line[2] != " "
    ]
    assert headers == [
        "Hilversum (demo):",
        "Amersfoort (demo):",
        "'s-Hertogenbosch (demo):",
        "Groningen (demo):",
        "Regio:",
        f"wachtwoord voor alle logins: {PASSWORD}",
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_den_bosch_guides_vso_pro_school_leavers_to_work_without_a_benefit():
    """Issue 17: 's-Hertogenbosch's seed places 70 Vso/Pro youths in work a year, most of them
    without a benefit; the demo had none, so ``jongeren.vso_pro_placed`` read 0 against 70."""
    households = DEN_BOSCH.households_for(2200)  # the demo's size: 4,300 x 0.3
    generate_demo(
        households=households, seed=44, today=TODAY, years=3, password=PASSWORD, profile=DEN_BOSCH
    )
    mun = m.Municipality.objects.get(cbs_code=DEN_BOSCH.cbs_code)
    youths = m.Resident.objects.filter(
        municipality=mun, household__benefits__isnull=True, education_level="vso_pro"
    ).exclude(household__members__applications__isnull=False)
    # 110 a year x 0.3, from 1 January 2023 to 22 November 2026
    assert 100 <= youths.count() <= 160
    assert set(youths.values_list("team__kind", flat=True)) == {m.Team.Kind.YOUTH}
    assert not youths.filter(has_startkwalificatie=True).exists()
    placed = m.Trajectory.objects.filter(resident__in=youths, result=m.Trajectory.Result.WORK)
    ended = m.Trajectory.objects.filter(resident__in=youths, ended_on__isnull=False)
    assert abs(placed.count() / ended.count() - VSO_PRO_PLACED_SHARE) < 0.15
    # a running trajectory has a consulent of the youth team for its resident
    running = youths.filter(trajectories__ended_on__isnull=True)
    assert running.exists()
    assert not running.filter(consulent__isnull=True).exists()

    indicator_values_fill(
        municipality_id=mun.pk, codes=["jongeren.vso_pro_placed"], year=2025, today=TODAY
    )
    value = IndicatorValue.objects.get(
        municipality=mun, code="jongeren.vso_pro_placed", period_kind="year", dimension=""
    )
    # the seed's 70 at the demo's 0.3 is 21
    assert 12 <= value.value <= 32
