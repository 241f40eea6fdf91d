import pytest

from privacy.models import ProcessingRecord
from privacy.pseudonym import resident_pseudonym
from tests import factories


@pytest.fixture
def privacy_officer(db):
    return factories.UserFactory(privacy=True)


@pytest.fixture
def other_team(team):
    return factories.TeamFactory(municipality=team.municipality)


@pytest.fixture
def outsider(other_team):
    """A consulent of another team in the same municipality."""
    return factories.UserFactory(team=other_team)


def records_for(resident):
    return ProcessingRecord.objects.filter(subjects__contains=[resident_pseudonym(resident.pk)])


@pytest.fixture
def fail_log_inserts(db):
    """Make every INSERT into the processing log fail in the database (within the test's
    transaction, so it is rolled back afterwards)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION pg_temp.refuse_insert() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'log unavailable'; END; $$ LANGUAGE plpgsql;
            CREATE TRIGGER test_refuse_insert BEFORE INSERT ON privacy_processingrecord
                FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_insert();
            """
        )
    yield


@pytest.fixture(autouse=True)
def checkpoint_dir(settings, tmp_path):
    """Every privacy test writes and reads the log's checkpoints in its own directory."""
    directory = tmp_path / "checkpoints"
    settings.PROCESSING_LOG_CHECKPOINT_DIR = str(directory)
    return directory
