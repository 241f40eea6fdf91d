"""The real BRP client against the simulator over real HTTP: answers, fields, timeouts, problem
answers and 5xx (issue 14, "BRP through an adapter, with a simulator")."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request

import pytest

from common.bsn import is_valid_bsn
from registers.brp import simulator
from registers.brp.client import BrpClient, BrpError, BrpNotFound, BrpUnavailable
from tests import factories

pytestmark = pytest.mark.django_db


def _first_unknown(with_partner: bool | None = None) -> str:
    for bsn in simulator.unknown_applicants():
        person = simulator.generated_population()[bsn]
        if with_partner is None or bool(person.get("partners")) == with_partner:
            return bsn
    raise AssertionError("no such person in the generated population")


def _raw_post(url: str, body: dict, key: str = "test-brp-key"):
    request = urllib.request.Request(  # noqa: S310 (the simulator's http URL)
        f"{url}/personen",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-API-Key": key},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.headers["Content-Type"], json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], json.loads(exc.read())


def test_raadpleeg_generated_person_maps_name_birth_address_household(brp_server):
    bsn = _first_unknown(with_partner=True)
    person = BrpClient().person(bsn=bsn)
    raw = simulator.generated_population()[bsn]
    assert person.bsn == bsn
    assert person.naam.geslachtsnaam == raw["naam"]["geslachtsnaam"]
    assert person.naam.voornamen == raw["naam"]["voornamen"]
    assert person.geboortedatum == dt.date.fromisoformat(raw["geboorte"]["datum"]["datum"])
    adres = raw["verblijfplaats"]["verblijfadres"]
    assert person.adres is not None
    assert person.adres.straat == adres["officieleStraatnaam"]
    assert person.adres.huisnummer == adres["huisnummer"]
    assert person.adres.postcode == adres["postcode"]
    assert person.adres.woonplaats == adres["woonplaats"]
    assert len(person.partners) == 1 and is_valid_bsn(person.partners[0].bsn)
    assert [k.bsn for k in person.kinderen] == [
        k["burgerservicenummer"] for k in raw.get("kinderen", [])
    ]
    # the partner answers with the applicant as partner: one household, two look-ups
    partner = BrpClient().person(bsn=person.partners[0].bsn)
    assert [p.bsn for p in partner.partners] == [bsn]
    assert partner.adres == person.adres


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_resident_in_the_database_answers_as_that_person(brp_server):
    """The simulator serves the installation's residents (read over its own DB connection)."""
    resident = factories.ResidentFactory(
        first_name="Fatima",
        name_prefix="van",
        last_name="Zwartjes",
        household__street="Kerkstraat",
        household__house_number="12B",
        household__postcode="1211 AB",
        household__city="Hilversum",
        household__children_count=2,
    )
    person = BrpClient().person(bsn=resident.bsn)
    assert (person.naam.voornamen, person.naam.voorvoegsel, person.naam.geslachtsnaam) == (
        "Fatima",
        "van",
        "Zwartjes",
    )
    assert person.geboortedatum == resident.birth_date
    assert person.adres is not None
    assert (person.adres.straat, person.adres.house_number, person.adres.postcode) == (
        "Kerkstraat",
        "12B",
        "1211AB",
    )
    assert len(person.kinderen) == 2


def test_unknown_bsn_is_not_found_and_distinct_from_unavailable(brp_server):
    with pytest.raises(BrpNotFound) as caught:
        BrpClient().person(bsn="999900055")
    assert not isinstance(caught.value, BrpUnavailable)
    assert "999900055" not in str(caught.value)


def test_timeout_beyond_brp_timeout_is_unavailable_in_time(brp_server, settings):
    settings.BRP_TIMEOUT = 0.5  # the simulator waits 3 s for this BSN
    started = time.monotonic()
    with pytest.raises(BrpUnavailable) as caught:
        BrpClient().person(bsn="999900031")
    assert time.monotonic() - started < 2.0
    assert "op tijd" in str(caught.value)


@pytest.mark.parametrize(
    ("bsn", "status", "code"),
    [("999900006", 500, "serverError"), ("999900018", 503, "notAvailable")],
)
def test_5xx_problem_answers_are_unavailable(brp_server, bsn, status, code):
    with pytest.raises(BrpUnavailable) as caught:
        BrpClient().person(bsn=bsn)
    assert (caught.value.status, caught.value.code) == (status, code)
    assert bsn not in str(caught.value)


def test_400_problem_answer_is_an_error_with_invalid_params(brp_server):
    with pytest.raises(BrpError) as caught:
        BrpClient().person(bsn="999900043")
    exc = caught.value
    assert not isinstance(exc, BrpUnavailable | BrpNotFound)
    assert (exc.status, exc.code) == (400, "paramsValidation")
    assert exc.invalid_params[0]["name"] == "burgerservicenummer"


def test_wrong_api_key_is_refused_401(brp_server):
    with pytest.raises(BrpError) as caught:
        BrpClient(api_key="wrong").person(bsn=_first_unknown())
    assert (caught.value.status, caught.value.code) == (401, "authentication")
    assert not isinstance(caught.value, BrpUnavailable)


def test_api_key_header_name_is_a_setting(brp_server):
    brp_server.app.api_key_header = "Authorization-Key"
    with pytest.raises(BrpError):
        BrpClient().person(bsn=_first_unknown())  # still sends X-API-Key
    assert BrpClient(api_key_header="Authorization-Key").person(bsn=_first_unknown())


def test_no_connection_and_no_configuration_are_unavailable(settings):
    with pytest.raises(BrpUnavailable):
        BrpClient(base_url="http://127.0.0.1:9", timeout=1).person(bsn="999900006")
    settings.BRP_BASE_URL = ""
    with pytest.raises(BrpUnavailable):
        BrpClient().person(bsn="999900006")


def test_simulator_honours_fields(brp_server):
    bsn = _first_unknown(with_partner=True)
    status, content_type, body = _raw_post(
        brp_server.url,
        {
            "type": "RaadpleegMetBurgerservicenummer",
            "burgerservicenummer": [bsn],
            "fields": ["naam.geslachtsnaam", "verblijfplaats.verblijfadres.postcode"],
        },
    )
    assert (status, content_type) == (200, "application/json")
    assert body["type"] == "RaadpleegMetBurgerservicenummer"
    (person,) = body["personen"]
    assert set(person) == {"naam", "verblijfplaats"}
    assert set(person["naam"]) == {"geslachtsnaam"}
    assert person["verblijfplaats"] == {
        "type": "Adres",
        "verblijfadres": {"postcode": person["verblijfplaats"]["verblijfadres"]["postcode"]},
    }


@pytest.mark.parametrize(
    ("body", "param"),
    [
        (
            {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": ["999900055"]},
            "fields",
        ),
        (
            {
                "type": "RaadpleegMetBurgerservicenummer",
                "burgerservicenummer": ["999900055"],
                "fields": ["naam.bestaatniet"],
            },
            "fields[0]",
        ),
        (
            {
                "type": "RaadpleegMetBurgerservicenummer",
                "burgerservicenummer": "999900055",
                "fields": ["naam"],
            },
            "burgerservicenummer",
        ),
        ({"type": "ZoekMetIets", "fields": ["naam"]}, "type"),
    ],
)
def test_simulator_refuses_bad_questions_as_problem_json(brp_server, body, param):
    status, content_type, problem = _raw_post(brp_server.url, body)
    assert (status, content_type) == (400, "application/problem+json")
    assert problem["code"] == "paramsValidation"
    assert problem["status"] == 400
    assert param in [p["name"] for p in problem["invalidParams"]]


def test_generated_population_is_deterministic_and_valid():
    first = simulator.generated_population()
    simulator.generated_population.cache_clear()
    again = simulator.generated_population()
    assert first == again
    assert len(simulator.unknown_applicants()) == simulator.GENERATED_HOUSEHOLDS
    assert all(is_valid_bsn(b) for b in first)
    assert not set(first) & set(simulator.ERROR_BSNS)
    assert all(is_valid_bsn(b) for b in simulator.ERROR_BSNS)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_manage_py_brp_simulator_serves_over_http_as_its_own_process(settings):
    """The Procfile's ``brp`` line: ``manage.py brp_simulator --port N`` is a process of its own
    that answers the client (here with the test database's residents)."""
    import os
    import socket
    import subprocess
    import sys

    from django.db import connection

    resident = factories.ResidentFactory(last_name="Procesveld")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = connection.settings_dict
    from urllib.parse import quote

    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "", safe="")
    url = f"postgres://{auth}@{host}{':' + str(db['PORT']) if db['PORT'] else ''}/{db['NAME']}"
    if db["OPTIONS"].get("host"):  # the embedded server's socket directory
        url += "?host=" + quote(db["OPTIONS"]["host"], safe="")
    # this process's Redis too: without REDIS_URL the child would start an embedded one, and
    # terminate() (SIGTERM, no atexit) would leave that server running after the suite
    env = dict(
        os.environ, DATABASE_URL=url, REDIS_URL=settings.REDIS_URL, BRP_API_KEY="proces-sleutel"
    )
    process = subprocess.Popen(  # noqa: S603 (the project's own command)
        [sys.executable, "manage.py", "brp_simulator", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        client = BrpClient(
            base_url=f"http://127.0.0.1:{port}/haalcentraal/api/brp",
            api_key="proces-sleutel",
            timeout=2,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                person = client.person(bsn=resident.bsn)
                break
            except BrpUnavailable:
                assert process.poll() is None, process.stdout.read().decode()
                assert time.monotonic() < deadline
                time.sleep(0.3)
        assert person.naam.geslachtsnaam == "Procesveld"
    finally:
        process.terminate()
        process.wait(timeout=10)
