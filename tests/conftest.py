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


def pytest_collection_modifyitems(config, items):
    """Every transactional test must use serialized rollback.

    A transactional test ends with a flush of the whole database. Without serialized rollback,
    the flush re-runs ``post_migrate`` (new content-type ids) and loses the rows that data
    migrations seed (group rules, instrument catalogue, vangnet rules), so the next serialized
    test fails to restore and later tests see missing reference data. Fail at collection, with
    the fix in the message, rather than with an IntegrityError in some other test's setup.
    """
    offenders = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = (marker is not None and marker.kwargs.get("transaction")) or (
            "transactional_db" in fixtures or "live_server" in fixtures
        )
        serialized = (marker is not None and marker.kwargs.get("serialized_rollback")) or (
            "django_db_serialized_rollback" in fixtures
        )
        if transactional and not serialized:
            offenders.append(item.nodeid)
    if offenders:
        raise pytest.UsageError(
            "transactional tests need @pytest.mark.django_db(transaction=True, "
            "serialized_rollback=True): " + ", ".join(offenders)
        )
