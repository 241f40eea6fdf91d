"""Issue 12, finding 9: behind the reverse proxy the lockout counts the client, not the proxy.

The production settings tell django-axes to take the client address from ``X-Forwarded-For``
(the hop the proxy adds), but axes only does so when django-ipware is installed; without it
every login behind the proxy counted against the proxy's own address, so anyone could lock any
user out. These tests run the login with the production settings' ``AXES_*`` values."""

from __future__ import annotations

import importlib
import sys

import pytest
from django.urls import reverse

from tests import factories

PASSWORD = "een-lang-wachtwoord-2026"
LOGIN = reverse("login")
PROXY = "10.20.0.2"  # REMOTE_ADDR of every request: the reverse proxy
VICTIM = "198.51.100.23"
ATTACKER = "203.0.113.7"


def production_axes_settings(monkeypatch, proxies: str | None = None) -> dict[str, object]:
    """The ``AXES_*`` and ``IPWARE_*`` values of ``config.settings.production`` (with its
    default environment)."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 64)
    if proxies is None:
        monkeypatch.delenv("AXES_PROXY_COUNT", raising=False)
    else:
        monkeypatch.setenv("AXES_PROXY_COUNT", proxies)
    sys.modules.pop("config.settings.production", None)
    try:
        module = importlib.import_module("config.settings.production")
    finally:
        sys.modules.pop("config.settings.production", None)
    return {
        name: getattr(module, name) for name in dir(module) if name.startswith(("AXES_", "IPWARE_"))
    }


@pytest.fixture
def production_lockout(settings, monkeypatch):
    for name, value in production_axes_settings(monkeypatch).items():
        setattr(settings, name, value)
    return settings


@pytest.fixture
def victim(db):
    user = factories.UserFactory(username="consulent.proxy")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def login(client, password: str, *, forwarded_for: str, username: str = "consulent.proxy"):
    """A login POST as the proxy passes it on: REMOTE_ADDR is the proxy, X-Forwarded-For ends
    with the address the proxy saw (anything before it came from the client)."""
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_finding_9_production_settings_take_the_client_address_from_the_proxy_header(
    production_lockout, rf
):
    """Issue 12, finding 9: under the production settings axes resolves the client's address
    (django-ipware is installed and used), not the proxy's."""
    from axes.helpers import get_client_ip_address

    request = rf.post(LOGIN, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=VICTIM)
    assert get_client_ip_address(request) == VICTIM
    # a client-supplied X-Forwarded-For entry is not trusted: the proxy's own hop counts
    spoofed = rf.post(LOGIN, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{VICTIM}, {ATTACKER}")
    assert get_client_ip_address(spoofed) == ATTACKER


def test_finding_9_two_proxies_in_front(settings, monkeypatch, rf):
    """With ``AXES_PROXY_COUNT=2`` the client is the second entry from the right."""
    from axes.helpers import get_client_ip_address

    for name, value in production_axes_settings(monkeypatch, proxies="2").items():
        setattr(settings, name, value)
    first_proxy = "10.20.0.1"
    request = rf.post(
        LOGIN, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{VICTIM}, {ATTACKER}, {first_proxy}"
    )
    assert get_client_ip_address(request) == ATTACKER


def test_finding_9_intranet_addresses_behind_the_proxy_are_the_client_addresses(
    production_lockout, rf
):
    """Issue 12, finding 9: clients with private (intranet) addresses are told apart too."""
    from axes.helpers import get_client_ip_address

    for client_address in ("10.1.2.3", "10.1.2.4"):
        request = rf.post(LOGIN, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)
        assert get_client_ip_address(request) == client_address


def test_finding_9_two_clients_behind_the_proxy_are_counted_separately(
    production_lockout, client, victim
):
    """Issue 12, finding 9: an attacker behind the same proxy who fails five times for a
    username locks only itself out; the user from another address still logs in."""
    attacker = type(client)()
    for _ in range(5):
        response = login(attacker, "fout", forwarded_for=ATTACKER)
    assert response.status_code == 429
    assert login(attacker, PASSWORD, forwarded_for=ATTACKER).status_code == 429

    assert login(client, PASSWORD, forwarded_for=VICTIM).status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_finding_9_a_spoofed_forwarded_for_cannot_lock_out_the_victims_address(
    production_lockout, client, victim
):
    """Issue 12, finding 9: the attacker sends the victim's address in its own X-Forwarded-For
    header; the proxy appends the attacker's real address, and that is the one counted."""
    attacker = type(client)()
    for _ in range(6):
        login(attacker, "fout", forwarded_for=f"{VICTIM}, {ATTACKER}")
    assert login(client, PASSWORD, forwarded_for=VICTIM).status_code == 302


def test_finding_9_the_victims_own_failures_still_lock_its_address(
    production_lockout, client, victim
):
    """The lockout itself still works behind the proxy: five failures from one client lock
    that client (username and address)."""
    for _ in range(5):
        response = login(client, "fout", forwarded_for=VICTIM)
    assert response.status_code == 429
    assert login(client, PASSWORD, forwarded_for=VICTIM).status_code == 429
    other = type(client)()
    assert login(other, PASSWORD, forwarded_for=ATTACKER).status_code == 302
