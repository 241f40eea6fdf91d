"""TOTP two-factor login: setup with a QR code, the verify step, enforcement, demo banner."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories

PASSWORD = "een-lang-wachtwoord-2026"
SETUP = reverse("two_factor_setup")
VERIFY = reverse("two_factor_verify")


def code_for(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code the user's authenticator app shows now (computed from the device's key)."""
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset_steps)
    return f"{value:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = code_for(device)
    return "000000" if right != "000000" else "111111"


def unthrottle(device: TOTPDevice) -> None:
    """Let the throttle delay after a failure pass (the delay doubles with every failure)."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=10)
    )


@pytest.fixture
def enforced(settings):
    settings.TWO_FACTOR_ENFORCED = True
    return settings


@pytest.fixture
def staff(db):
    user = factories.UserFactory(username="consulent.2fa")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def device(staff):
    return TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=True)


def test_password_login_then_unverified_user_is_sent_to_verify_step(client, enforced, device):
    response = client.post(reverse("login"), {"username": "consulent.2fa", "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(reverse("caseload:worklist"))
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert "next=%2Fcaseload%2F" in response["Location"]
    # every non-public page, the admin included
    for url in [reverse("home"), reverse("admin:index"), reverse("budget:overview")]:
        assert client.get(url)["Location"].startswith(VERIFY), url


def test_wrong_code_is_refused_and_right_code_accepted(client, enforced, device, staff):
    client.force_login(staff)
    page = client.get(f"{VERIFY}?next=/caseload/")
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()

    refused = client.post(VERIFY, {"token": wrong_code(device), "next": "/caseload/"})
    assert refused.status_code == 422
    assert "Deze code klopt niet" in refused.content.decode()
    assert client.get(reverse("caseload:worklist")).status_code == 302  # still not verified

    # right after a failure even the right code waits (django-otp throttling) ...
    throttled = client.post(VERIFY, {"token": code_for(device), "next": "/caseload/"})
    assert throttled.status_code == 422
    # ... and is accepted once the delay has passed
    unthrottle(device)
    accepted = client.post(VERIFY, {"token": code_for(device), "next": "/caseload/"})
    assert accepted.status_code == 302
    assert accepted["Location"] == "/caseload/"
    assert client.get(reverse("caseload:worklist")).status_code == 200


def test_a_code_cannot_be_used_twice(client, enforced, device, staff):
    code = code_for(device)
    client.force_login(staff)
    assert client.post(VERIFY, {"token": code}).status_code == 302
    other = type(client)()
    other.force_login(staff)
    assert other.post(VERIFY, {"token": code}).status_code == 422


def test_non_digit_code_gets_a_field_error(client, enforced, device, staff):
    client.force_login(staff)
    response = client.post(VERIFY, {"token": "12ab56"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "alleen uit cijfers" in body
    assert 'aria-describedby="id_token_help id_token_error"' in body


def test_setup_shows_qr_code_and_confirms_device_with_a_right_code(client, enforced, staff):
    client.force_login(staff)
    first = client.get(reverse("home"))
    assert first["Location"].startswith(SETUP)  # no device yet: set one up
    page = client.get(SETUP)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "style=" not in body  # QR code as markup, nothing CSP blocks
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed is False
    assert client.get(SETUP).status_code == 200
    assert TOTPDevice.objects.filter(user=staff).count() == 1  # reloading keeps the same key

    refused = client.post(SETUP, {"token": wrong_code(device)})
    assert refused.status_code == 422
    device.refresh_from_db()
    assert device.confirmed is False

    unthrottle(device)
    accepted = client.post(SETUP, {"token": code_for(device), "next": "/caseload/"})
    assert accepted.status_code == 302
    assert accepted["Location"] == "/caseload/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get(reverse("caseload:worklist")).status_code == 200


def test_setup_page_sends_user_with_a_device_to_verify(client, enforced, device, staff):
    client.force_login(staff)
    assert client.get(SETUP)["Location"].startswith(VERIFY)


def test_next_to_another_site_is_ignored(client, enforced, device, staff):
    client.force_login(staff)
    response = client.post(VERIFY, {"token": code_for(device), "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_session_api_call_needs_verification(client, enforced, device, staff):
    client.force_login(staff)
    response = client.get("/api/v1/caseload/residents/")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "two_factor_required"
    client.post(VERIFY, {"token": code_for(device)})
    assert client.get("/api/v1/caseload/residents/").status_code == 200


def test_public_pages_stay_open(client, enforced, staff):
    client.force_login(staff)
    assert client.get(reverse("health")).status_code in (200, 503)
    assert client.get(reverse("login")).status_code == 200


def test_not_enforced_lets_unverified_user_in(client, settings, staff):
    settings.TWO_FACTOR_ENFORCED = False
    client.force_login(staff)
    assert client.get(reverse("caseload:worklist")).status_code == 200


def test_demo_mode_without_two_factor_says_so_on_screen(client, settings, staff):
    settings.DEMO_MODE = True
    settings.TWO_FACTOR_ENFORCED = False
    login_page = client.get(reverse("login")).content.decode()
    assert "Demo: tweestapsverificatie staat uit" in login_page
    client.force_login(staff)
    assert "Tweestapsverificatie staat uit" in client.get(reverse("home")).content.decode()


def test_enforced_login_page_mentions_the_code(client, enforced):
    body = client.get(reverse("login")).content.decode()
    assert "tweestapsverificatie staat uit" not in body.lower()
    assert "authenticator-app" in body


def test_demo_mode_with_two_factor_enforced_does_not_claim_it_is_off(client, settings, staff):
    settings.DEMO_MODE = True
    settings.TWO_FACTOR_ENFORCED = False  # force_login skips the second step; the banner reads
    client.force_login(staff)  # the setting, which is switched on below
    settings.TWO_FACTOR_ENFORCED = True
    body = client.get(reverse("login")).content.decode()
    assert "Demo-omgeving met fictieve gegevens." in body
    assert "Tweestapsverificatie staat uit" not in body
