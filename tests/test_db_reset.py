"""The reset between transactional tests (tests/db_reset.py): after a transactional test's flush
the database is as migrated again, with its reference rows (the ISCO occupations here), for
whatever test the worker runs next, not only for the next serialized-rollback test (issue 16)."""

import pytest

from employers.models import Occupation


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transactional_test_sees_the_reference_rows():
    assert Occupation.objects.count() > 400


def test_after_the_flush_the_reference_rows_are_back(django_db_setup, django_db_blocker):
    """Runs after the transactional test above (pytest-django orders tests without the ``db``
    fixture last); it reads the database directly, as a stolen plain database test would."""
    with django_db_blocker.unblock():
        assert Occupation.objects.count() > 400
