"""Lockout after repeated failed logins (django-axes) and session expiry after inactivity."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests import factories

PASSWORD = "een-lang-wachtwoord-2026"
LOGIN = reverse("login")


@pytest.fixture
def staff(db):
    user = factories.UserFactory(username="teamleider.lock", role="teamleider")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def attempt(client, password, ip="10.0.0.1", username="teamleider.lock"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_settings_lock_after_five_failures_for_thirty_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == 0.5  # hours
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_five_wrong_passwords_lock_the_username_from_that_address(client, staff):
    for _ in range(4):
        response = attempt(client, "fout")
        assert response.status_code == 200  # the form again, with the error
        assert "utrecht-alert--error" in response.content.decode()
    locked = attempt(client, "fout")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Inloggen tijdelijk geblokkeerd" in body
    assert "30 minuten" in body
    # now even the right password is refused, and nobody is signed in
    assert attempt(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client, staff):
    for _ in range(5):
        attempt(client, "fout", ip="10.0.0.1")
    assert attempt(client, PASSWORD, ip="10.0.0.1").status_code == 429
    other_address = type(client)()
    assert attempt(other_address, PASSWORD, ip="10.0.0.2").status_code == 302


def test_lockout_ends_after_the_cooloff(client, staff):
    for _ in range(5):
        attempt(client, "fout")
    assert attempt(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    assert attempt(client, PASSWORD).status_code == 302


def test_successful_login_resets_the_count(client, staff):
    for _ in range(4):
        attempt(client, "fout")
    assert attempt(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert attempt(client, "fout").status_code == 200


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_session_expiry_slides_with_activity(client, staff, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert attempt(client, PASSWORD).status_code == 302
    # 25 minutes of inactivity: still signed in, and the request pushes expiry to now + 30 min
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=5)
    )
    assert client.get(reverse("caseload:worklist")).status_code == 200
    remaining = _session(client).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)


def test_session_expires_after_thirty_minutes_of_inactivity(client, staff):
    assert attempt(client, PASSWORD).status_code == 302
    assert client.get(reverse("caseload:worklist")).status_code == 200
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("caseload:worklist"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
