"""A new user's walk through the demo: a caseload import row with postcode ``XYZ`` was not
flagged while the row's other errors were. A Dutch postcode is 4 digits (the first not 0) and 2
letters, ``1211 AB`` or ``1211AB``, as the address search and the households table require."""

from __future__ import annotations

import pytest

from caseload.models import Household, Resident
from tests import factories
from tests.api import test_import as base

pytestmark = pytest.mark.django_db


def run(rows, team):
    beheerder = factories.UserFactory(beheer=True)
    return base.run(base.to_csv(rows), team, beheerder)


@pytest.mark.parametrize("postcode", ["XYZ", "0211 AB", "1211 A", "12345AB", "1211 ABC", ""])
def test_a_bad_postcode_is_flagged_beside_the_rows_other_errors(team, postcode):
    bad = base.row(team, base.bsns(1, seed=41)[0], postcode=postcode, kinderen="veel")
    result = run([bad], team)
    assert not result.ok
    columns = sorted(e.column for e in result.errors)
    assert columns == ["kinderen", "postcode"], result.errors
    message = next(e.message for e in result.errors if e.column == "postcode")
    assert postcode not in message or not postcode
    assert not Resident.objects.exists() and not Household.objects.exists()


def test_a_bad_postcode_alone_is_a_row_error_not_a_crash(team):
    result = run([base.row(team, base.bsns(1, seed=42)[0], postcode="XYZ")], team)
    assert [(e.line, e.column) for e in result.errors] == [(2, "postcode")]
    assert "1234 AB" in result.errors[0].message
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    ("written", "stored"),
    [("1211 AB", "1211 AB"), ("1211AB", "1211AB"), ("1211 ab", "1211 AB"), (" 1211ab ", "1211AB")],
)
def test_a_good_postcode_is_accepted_in_upper_case(team, written, stored):
    result = run([base.row(team, base.bsns(1, seed=43)[0], postcode=written)], team)
    assert result.ok, result.errors
    assert Household.objects.get().postcode == stored
