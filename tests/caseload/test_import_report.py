"""Issue 13, finding 8: the caseload import reports every error of every row in one pass, each
once: the row checks (format) and the services' refusals together, and one message per cause."""

from __future__ import annotations

import pytest

from caseload.importers import caseload_import
from caseload.models import Benefit, Household, Resident
from tests import factories
from tests.api import test_import as base

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(db):
    return factories.TeamFactory()


@pytest.fixture
def beheerder(db):
    return factories.UserFactory(beheer=True)


def run(rows, team, by):
    return caseload_import(
        content=base.to_csv(rows), filename="export.csv", municipality=team.municipality, by=by
    )


def errors_of(result) -> list[tuple[int, str | None, str]]:
    return sorted((e.line, e.column, e.message) for e in result.errors)


def test_finding_8_format_and_service_errors_are_reported_in_one_pass(team, beheerder):
    """Issue 13, finding 8: with a format error in the file, the services' refusals of the
    other rows (a consulent not in the team, a birth date in the future, a resident of another
    municipality) were not reported; the user fixed the file and was refused again."""
    other_team = factories.TeamFactory(municipality=team.municipality, name="Team Oost")
    elsewhere = factories.UserFactory(team=other_team, username="j.devries")
    a, b, c, d, e = base.bsns(5, seed=21)
    factories.ResidentFactory(
        bsn=d,
        household__municipality=factories.MunicipalityFactory(cbs_code="GM0003", name="Elders"),
    )
    rows = [
        base.row(team, "123456789", huishouden="HH-1"),  # line 2: format (11-test)
        base.row(team, a, huishouden="HH-2", consulent=elsewhere.username),  # line 3: service
        base.row(team, b, huishouden="HH-3", geboortedatum="2099-01-01"),  # line 4: service
        base.row(team, c, huishouden="HH-4"),  # line 5: fine
        base.row(team, d, huishouden="HH-5"),  # line 6: registered in another municipality
        base.row(team, e, huishouden="HH-6", kinderen="veel"),  # line 7: format
    ]
    result = run(rows, team, beheerder)
    assert not result.ok
    assert [(line, column) for line, column, _ in errors_of(result)] == [
        (2, "bsn"),
        (3, "consulent"),
        (4, "geboortedatum"),
        (6, None),
        (7, "kinderen"),
    ]
    messages = {line: message for line, _, message in errors_of(result)}
    assert messages[3] == "De consulent hoort niet bij dit team."
    assert "andere gemeente" in messages[6]
    assert all("123456789" not in message and d not in message for message in messages.values())
    assert result.counts["residents_created"] == 0
    assert Resident.objects.count() == 1  # only the one of the other municipality
    assert not Household.objects.filter(municipality=team.municipality).exists()
    assert not Benefit.objects.exists()


def test_finding_8_unknown_regeling_gets_one_message(team, beheerder):
    """Issue 13, finding 8: an unknown regeling with benefit dates got a second message that
    contradicted the first ("vul de regeling in" after "onbekende waarde"): one cause, one
    message."""
    rows = [
        base.row(team, base.bsns(1, seed=31)[0], regeling="ww", ingangsdatum="2024-01-01"),
        base.row(
            team,
            base.bsns(1, seed=32)[0],
            huishouden="HH-2",
            regeling="bijstand-oud",
            ingangsdatum="2024-01-01",
            einddatum="2024-06-30",
            reden_einde="",
        ),
    ]
    result = run(rows, team, beheerder)
    found = errors_of(result)
    assert [(line, column) for line, column, _ in found] == [(2, "regeling"), (3, "regeling")]
    assert all(message.startswith("Onbekende waarde; kies uit") for _, _, message in found)
