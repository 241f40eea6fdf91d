import pytest

from tests import factories


@pytest.fixture
def team(db):
    return factories.TeamFactory()


@pytest.fixture
def consulent(team):
    return factories.UserFactory(team=team)


@pytest.fixture
def resident(team, consulent):
    return factories.ResidentFactory(
        team=team, consulent=consulent, household__municipality=team.municipality
    )


@pytest.fixture
def open_benefit(resident):
    return factories.BenefitFactory(applicant=resident)
