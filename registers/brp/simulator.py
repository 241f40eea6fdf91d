"""A simulator of the Haal Centraal "BRP Personen Bevragen" API (version 2) for development, the
demo and the tests: a WSGI application, reached over HTTP by the same client as the real BRP.

It answers ``POST .../personen`` with query type ``RaadpleegMetBurgerservicenummer`` as the spec
does (``fields`` required and honoured, unknown fields refused, an unknown BSN answered with an
empty ``personen`` list, errors as ``application/problem+json``). It serves:

* the residents in this installation's database (the demo population): a look-up of a demo BSN
  answers with that person, the household's partner and (generated) children;
* a fixed, generated population "unknown to the gemeente" (:func:`generated_population`: 40
  households with 11-test-valid fake BSNs, partners and children; deterministic), so the
  new-application flow has someone to find (``manage.py brp_simulator --list`` prints them).
  The households are spread over the four demo municipalities in turn (:func:`demo_municipalities`:
  Hilversum, Groningen, 's-Hertogenbosch, Amersfoort, ten each): each lives in its
  municipality's city, at a postcode whose four digits are one of that municipality's demo
  districts (so the registration finds the district), and answers with that municipality as
  its ``gemeenteVanInschrijving``;
* error answers on request, for walking the "BRP unavailable" path (:data:`ERROR_BSNS`).

Run it with ``manage.py brp_simulator --port 8001`` (``make run`` does, from the Procfile).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from common.bsn import generate_fake_bsn
from common.dates import MONTHS_NL

QUERY_TYPE = "RaadpleegMetBurgerservicenummer"
SEED = 2026
GENERATED_HOUSEHOLDS = 40

#: BSNs (11-test valid) that make the simulator answer with an error instead of a person.
ERROR_BSNS: dict[str, str] = {
    "999900006": "500",  # Interne server fout (problem+json, code serverError)
    "999900018": "503",  # Bronservice BRP is tijdelijk niet beschikbaar (code notAvailable)
    "999900031": "timeout",  # answers only after ``delay`` seconds (beyond BRP_TIMEOUT)
    "999900043": "400",  # paramsValidation with invalidParams
    "999900055": "empty",  # not in the BRP: 200 with an empty personen list
}

_FIELD = re.compile(r"^[a-zA-Z0-9._]{1,200}$")
_BSN = re.compile(r"^[0-9]{9}$")

PROBLEM_TYPES = {
    400: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1",
    401: "https://datatracker.ietf.org/doc/html/rfc7235#section-3.1",
    404: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.4",
    405: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.5",
    406: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.6",
    415: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.13",
    500: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.6.1",
    503: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.6.4",
}
STATUS_TEXT = {
    200: "200 OK",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    406: "406 Not Acceptable",
    415: "415 Unsupported Media Type",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}


# --- building persons in the spec's shape -----------------------------------------------------


def _datum(value: dt.date) -> dict[str, str]:
    return {
        "type": "Datum",
        "datum": value.isoformat(),
        "langFormaat": f"{value.day} {MONTHS_NL[value.month - 1]} {value.year}",
    }


def _naam(first: str, prefix: str, last: str) -> dict[str, str]:
    naam = {"voornamen": first, "voorvoegsel": prefix, "geslachtsnaam": last}
    naam["volledigeNaam"] = " ".join(p for p in (first, prefix, last) if p)
    return {k: v for k, v in naam.items() if v}


def _relative(bsn: str, first: str, prefix: str, last: str, born: dt.date) -> dict[str, Any]:
    return {
        "burgerservicenummer": bsn,
        "naam": _naam(first, prefix, last),
        "geboorte": {"datum": _datum(born)},
    }


_HOUSE = re.compile(
    r"^(?P<nummer>[0-9]{1,5})(?P<letter>[A-Za-z]?)(?:[- ](?P<toev>[A-Za-z0-9]{1,4}))?$"
)


def _verblijfplaats(street: str, house_number: str, postcode: str, city: str) -> dict[str, Any]:
    adres: dict[str, Any] = {"officieleStraatnaam": street, "korteStraatnaam": street[:24]}
    match = _HOUSE.match(house_number.strip())
    if match:
        adres["huisnummer"] = int(match["nummer"])
        if match["letter"]:
            adres["huisletter"] = match["letter"].upper()
        if match["toev"]:
            adres["huisnummertoevoeging"] = match["toev"]
    adres["postcode"] = postcode.replace(" ", "")
    adres["woonplaats"] = city
    return {"type": "Adres", "verblijfadres": {k: v for k, v in adres.items() if v != ""}}


def _gemeente(cbs_code: str, name: str) -> dict[str, str]:
    """``gemeenteVanInschrijving`` (a Waardetabel): the four digits of the CBS code (GM0402 ->
    ``0402``) and the municipality's name."""
    return {"code": cbs_code.removeprefix("GM"), "omschrijving": name}


def _person(
    *,
    bsn: str,
    first: str,
    prefix: str,
    last: str,
    born: dt.date,
    verblijfplaats: dict[str, Any],
    gemeente: dict[str, str] | None,
    partners: list[dict[str, Any]],
    kinderen: list[dict[str, Any]],
) -> dict[str, Any]:
    person: dict[str, Any] = {
        "burgerservicenummer": bsn,
        "naam": _naam(first, prefix, last),
        "geboorte": {"datum": _datum(born)},
        "verblijfplaats": verblijfplaats,
    }
    if gemeente:
        person["gemeenteVanInschrijving"] = gemeente
    if partners:
        person["partners"] = partners
    if kinderen:
        person["kinderen"] = kinderen
    return person


def _split_last_name(value: str) -> tuple[str, str]:
    """Faker's "van der Berg" as voorvoegsel "van der" and geslachtsnaam "Berg"."""
    words = value.split()
    prefix = [w for w in words[:-1] if w.islower()]
    return " ".join(prefix), " ".join(words[len(prefix) :])


def _children(rng: random.Random, last: str, prefix: str, count: int) -> list[dict[str, Any]]:
    from faker import Faker

    fake = Faker("nl_NL")
    fake.seed_instance(rng.randrange(1 << 30))
    return [
        _relative(
            generate_fake_bsn(rng),
            fake.first_name(),
            prefix,
            last,
            dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(15 * 365)),
        )
        for _ in range(count)
    ]


@dataclass(frozen=True)
class DemoMunicipality:
    """A municipality the generated people live in: CBS code, city (woonplaats) and the four
    postcode digits of its demo districts."""

    cbs_code: str
    city: str
    postcode_digits: tuple[int, ...]


@functools.cache
def demo_municipalities() -> tuple[DemoMunicipality, ...]:
    """The demo municipalities in load order (``caseload.demo.parameters.PROFILES``: Hilversum,
    Groningen, 's-Hertogenbosch, Amersfoort), each with the postcode digits its districts list,
    so a generated address falls in a district the registration can find."""
    from caseload.demo.parameters import PROFILES

    return tuple(
        DemoMunicipality(
            cbs_code=profile.cbs_code,
            city=profile.city,
            postcode_digits=tuple(
                sorted(
                    {digits for _name, _wk, numbers, _w in profile.districts for digits in numbers}
                )
            ),
        )
        for profile in PROFILES
    )


@functools.cache
def generated_population() -> dict[str, dict[str, Any]]:
    """The persons the gemeente does not know yet: BSN -> Persoon, always the same ones.

    Applicants (and partners, who answer with the applicant as their partner) of
    :data:`GENERATED_HOUSEHOLDS` households, ordered as generated. The households take the
    demo municipalities in turn (the first Hilversum, the second Groningen, ...)."""
    from faker import Faker

    municipalities = demo_municipalities()
    rng = random.Random(SEED)
    fake = Faker("nl_NL")
    fake.seed_instance(SEED)
    population: dict[str, dict[str, Any]] = {}
    taken = set(ERROR_BSNS)
    households = 0
    for _ in range(GENERATED_HOUSEHOLDS):
        where = municipalities[households % len(municipalities)]
        prefix, last = _split_last_name(fake.last_name())
        first = fake.first_name()
        born = dt.date(1962, 1, 1) + dt.timedelta(days=rng.randrange(38 * 365))
        bsn = generate_fake_bsn(rng)
        street = fake.street_name()
        number = str(rng.randrange(1, 250)) + rng.choice(["", "", "", "A", "B"])
        # the draw of old (1200-1298) picks one of the municipality's district digits: the
        # random streams stay as they were, and so do the BSNs and names
        draw = rng.randrange(1200, 1299)
        postcode = f"{where.postcode_digits[draw % len(where.postcode_digits)]}"
        letters = fake.random_uppercase_letter() + fake.random_uppercase_letter()
        # no postcode has SA, SD or SS (common.postcode); the same draws, so the same people
        postcode += "SB" if letters in ("SA", "SD", "SS") else letters
        place = _verblijfplaats(street, number, postcode, where.city)
        kinderen = _children(rng, last, prefix, rng.choice([0, 0, 1, 2, 3]))
        partner = None
        if rng.random() < 0.45:
            p_prefix, p_last = _split_last_name(fake.last_name())
            partner = {
                "bsn": generate_fake_bsn(rng),
                "first": fake.first_name(),
                "prefix": p_prefix,
                "last": p_last,
                "born": dt.date(1962, 1, 1) + dt.timedelta(days=rng.randrange(38 * 365)),
            }
        if bsn in taken or (partner and partner["bsn"] in taken):
            continue
        households += 1
        me = {"bsn": bsn, "first": first, "prefix": prefix, "last": last, "born": born}
        members = [me, partner] if partner else [me]
        for member in members:
            other = partner if member is me else me
            population[member["bsn"]] = _person(
                **member,
                verblijfplaats=place,
                gemeente=_gemeente(where.cbs_code, where.city),
                partners=[_relative(**other)] if other else [],
                kinderen=kinderen,
            )
            taken.add(member["bsn"])
    return population


def unknown_applicants(cbs_code: str | None = None) -> list[str]:
    """The BSNs of the generated households' first members (documentation, tests, demo); with
    ``cbs_code`` (``GM0014``) only those registered in that municipality."""
    code = cbs_code.removeprefix("GM") if cbs_code else None
    seen: set[str] = set()
    result = []
    for bsn, person in generated_population().items():
        if bsn in seen:
            continue
        seen.update(p["burgerservicenummer"] for p in person.get("partners", []))
        seen.add(bsn)
        if code is None or person["gemeenteVanInschrijving"]["code"] == code:
            result.append(bsn)
    return result


def municipality_of(bsn: str) -> DemoMunicipality | None:
    """The demo municipality a generated person is registered in (None: not generated)."""
    person = generated_population().get(bsn)
    if person is None:
        return None
    code = "GM" + person["gemeenteVanInschrijving"]["code"]
    return next(m for m in demo_municipalities() if m.cbs_code == code)


# --- the demo population in the database -------------------------------------------------------


def database_person(bsn: str) -> dict[str, Any] | None:
    """The resident with ``bsn`` in this installation's database, as a Persoon."""
    from caseload.models import HouseholdRole, Resident

    resident = Resident.objects.select_related("household__municipality").filter(bsn=bsn).first()
    if resident is None:
        return None
    household = resident.household
    partners = []
    if resident.household_role in (HouseholdRole.APPLICANT, HouseholdRole.PARTNER):
        wanted = (
            HouseholdRole.PARTNER
            if resident.household_role == HouseholdRole.APPLICANT
            else HouseholdRole.APPLICANT
        )
        for other in household.members.filter(household_role=wanted).exclude(pk=resident.pk)[:1]:
            partners.append(
                _relative(
                    other.bsn,
                    other.first_name,
                    other.name_prefix,
                    other.last_name,
                    other.birth_date,
                )
            )
    rng = random.Random(f"{SEED}:{household.pk}")
    return _person(
        bsn=resident.bsn,
        first=resident.first_name,
        prefix=resident.name_prefix,
        last=resident.last_name,
        born=resident.birth_date,
        verblijfplaats=_verblijfplaats(
            household.street, household.house_number, household.postcode, household.city
        ),
        gemeente=_gemeente(
            household.municipality.cbs_code,
            household.municipality.name.replace("(demo)", "").strip(),
        ),
        partners=partners,
        kinderen=_children(rng, resident.last_name, resident.name_prefix, household.children_count),
    )


# --- fields -----------------------------------------------------------------------------------


def _paths(value: Any, prefix: str = "") -> set[str]:
    found: set[str] = set()
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, dict):
            for key, sub in item.items():
                path = f"{prefix}{key}"
                found.add(path)
                found |= _paths(sub, path + ".")
    return found


def _template_paths() -> frozenset[str]:
    """Every field path a person of this simulator can have (the fields it accepts)."""
    child = _relative("999999990", "Anna", "de", "Vries", dt.date(2015, 1, 1))
    person = _person(
        bsn="999999990",
        first="Jan",
        prefix="de",
        last="Vries",
        born=dt.date(1980, 1, 1),
        verblijfplaats=_verblijfplaats("Dorpsstraat", "1A-2", "1234AB", "Hilversum"),
        gemeente=_gemeente("GM0402", "Hilversum"),
        partners=[child],
        kinderen=[child],
    )
    paths = _paths(person)
    paths.add("leeftijd")
    return frozenset(p for p in paths if not p.endswith(".type") and p != "type")


KNOWN_FIELDS = _template_paths()


def project(value: Any, fields: Iterable[str]) -> Any:
    """Only the requested fields (dotted paths; a path names its whole subtree; the
    discriminator ``type`` of a chosen object stays)."""
    tree: dict[str, Any] = {}
    for path in fields:
        node = tree
        parts = path.split(".")
        for i, part in enumerate(parts):
            if node.get(part) is True:
                break
            node = node.setdefault(part, True if i == len(parts) - 1 else {})
            if node is True:
                break
    return _apply(value, tree)


def _apply(value: Any, tree: dict[str, Any]) -> Any:
    if isinstance(value, list):
        return [_apply(v, tree) for v in value]
    if not isinstance(value, dict):
        return value
    out = {"type": value["type"]} if "type" in value else {}
    for key, sub in tree.items():
        if key in value:
            out[key] = value[key] if sub is True else _apply(value[key], sub)
    return out


# --- the WSGI application ---------------------------------------------------------------------


def _age(born: str, today: dt.date) -> int:
    b = dt.date.fromisoformat(born)
    return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


class BrpSimulator:
    """The WSGI application. ``lookup(bsn)`` finds a person (default: the database, then the
    generated population); ``api_key`` (when set) must come in header ``api_key_header``;
    ``delay`` is how long the timeout BSN waits before answering."""

    def __init__(
        self,
        *,
        api_key: str = "",
        api_key_header: str = "X-API-Key",
        delay: float = 10.0,
        lookup: Callable[[str], dict[str, Any] | None] | None = None,
    ) -> None:
        self.api_key = api_key
        self.api_key_header = api_key_header
        self.delay = delay
        self.lookup = lookup or self.default_lookup

    @staticmethod
    def default_lookup(bsn: str) -> dict[str, Any] | None:
        from django.db import connections

        try:
            return database_person(bsn) or generated_population().get(bsn)
        finally:
            connections.close_all()  # each request runs in a thread of its own

    # WSGI entry point
    def __call__(self, environ, start_response):
        status, body, content_type = self.handle(environ)
        payload = json.dumps(body).encode()
        start_response(
            STATUS_TEXT[status],
            [
                ("Content-Type", content_type),
                ("Content-Length", str(len(payload))),
                ("api-version", "2.0.0"),
            ],
        )
        return [payload]

    def problem(
        self, status: int, title: str, code: str, detail: str = "", params=None, instance=""
    ):
        body: dict[str, Any] = {
            "type": PROBLEM_TYPES.get(status, PROBLEM_TYPES[500]),
            "title": title,
            "status": status,
            "detail": detail or title,
            "instance": instance,
            "code": code,
        }
        if params:
            body["invalidParams"] = params
        return status, body, "application/problem+json"

    def _invalid(self, instance: str, params: list[dict[str, str]]):
        names = ", ".join(sorted({p["name"] for p in params}))
        return self.problem(
            400,
            "Een of meerdere parameters zijn niet correct.",
            "paramsValidation",
            f"De foutieve parameter(s) zijn: {names}.",
            params,
            instance,
        )

    def handle(self, environ) -> tuple[int, dict[str, Any], str]:
        path = environ.get("PATH_INFO", "")
        if not path.rstrip("/").endswith("/personen"):
            return self.problem(
                404, "Opgevraagde resource bestaat niet.", "notFound", instance=path
            )
        if environ.get("REQUEST_METHOD") != "POST":
            return self.problem(
                405,
                "Gebruikte bevragingsmethode is niet toegestaan.",
                "methodNotAllowed",
                instance=path,
            )
        header = "HTTP_" + self.api_key_header.upper().replace("-", "_")
        if self.api_key and environ.get(header, "") != self.api_key:
            return self.problem(
                401, "Niet correct geauthenticeerd.", "authentication", instance=path
            )
        accept = environ.get("HTTP_ACCEPT", "application/json")
        if not any(a in accept for a in ("application/json", "*/*", "application/*")):
            return self.problem(
                406, "Gevraagde contenttype wordt niet ondersteund.", "notAcceptable", instance=path
            )
        if not environ.get("CONTENT_TYPE", "").startswith("application/json"):
            return self.problem(
                415, "Media Type wordt niet ondersteund.", "unsupportedMediaType", instance=path
            )
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"null")
        except (ValueError, OSError):
            body = None
        if not isinstance(body, dict):
            return self._invalid(
                path, [{"name": "body", "code": "object", "reason": "Body is geen json object."}]
            )
        if body.get("type") != QUERY_TYPE:
            return self._invalid(
                path,
                [{"name": "type", "code": "value", "reason": "Waarde is geen geldig zoek type."}],
            )
        params = self._check(body)
        if params:
            return self._invalid(path, params)
        persons = []
        for bsn in body["burgerservicenummer"]:
            outcome = ERROR_BSNS.get(bsn)
            if outcome == "500":
                return self.problem(500, "Interne server fout.", "serverError", instance=path)
            if outcome == "503":
                return self.problem(
                    503,
                    "Bronservice BRP is tijdelijk niet beschikbaar.",
                    "notAvailable",
                    instance=path,
                )
            if outcome == "timeout":
                time.sleep(self.delay)
                continue
            if outcome == "400":
                return self._invalid(
                    path,
                    [
                        {
                            "name": "burgerservicenummer",
                            "code": "value",
                            "reason": "Waarde is niet correct.",
                        }
                    ],
                )
            if outcome == "empty":
                continue
            person = self.lookup(bsn)
            if person is None:
                continue
            person = dict(person)
            person["leeftijd"] = _age(person["geboorte"]["datum"]["datum"], dt.date.today())
            persons.append(project(person, body["fields"]))
        return 200, {"type": QUERY_TYPE, "personen": persons}, "application/json"

    @staticmethod
    def _check(body: dict[str, Any]) -> list[dict[str, str]]:
        params = []
        bsns = body.get("burgerservicenummer")
        if not isinstance(bsns, list):
            params.append(
                {
                    "name": "burgerservicenummer",
                    "code": "array",
                    "reason": "Parameter is geen array.",
                }
            )
        elif not 1 <= len(bsns) <= 20:
            params.append(
                {
                    "name": "burgerservicenummer",
                    "code": "maxItems" if bsns else "minItems",
                    "reason": "Array bevat 1 tot 20 items.",
                }
            )
        else:
            for i, bsn in enumerate(bsns):
                if not isinstance(bsn, str) or not _BSN.match(bsn):
                    params.append(
                        {
                            "name": f"burgerservicenummer[{i}]",
                            "code": "pattern",
                            "reason": "Waarde voldoet niet aan patroon ^[0-9]{9}$.",
                        }
                    )
        fields = body.get("fields")
        if fields is None:
            params.append(
                {"name": "fields", "code": "required", "reason": "Parameter is verplicht."}
            )
        elif not isinstance(fields, list) or not 1 <= len(fields) <= 130:
            params.append(
                {
                    "name": "fields",
                    "code": "array",
                    "reason": "Parameter is geen array met 1 tot 130 items.",
                }
            )
        else:
            for i, name in enumerate(fields):
                if not isinstance(name, str) or not _FIELD.match(name):
                    params.append(
                        {
                            "name": f"fields[{i}]",
                            "code": "pattern",
                            "reason": "Waarde voldoet niet aan patroon.",
                        }
                    )
                elif name not in KNOWN_FIELDS:
                    params.append(
                        {
                            "name": f"fields[{i}]",
                            "code": "field",
                            "reason": "Parameter bevat een niet bestaande veldnaam.",
                        }
                    )
        return params


# --- serving ----------------------------------------------------------------------------------


class _ThreadingServer(WSGIServer):
    """One thread per request, so a slow (timeout) answer does not hold up the others."""

    daemon_threads = True

    def process_request(self, request, client_address):
        thread = threading.Thread(target=self._handle, args=(request, client_address), daemon=True)
        thread.start()

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 (a broken connection ends only that request)
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def make_simulator_server(
    app: BrpSimulator, *, host: str = "127.0.0.1", port: int = 8001, quiet: bool = True
) -> WSGIServer:
    """A threading WSGI server for ``app`` (port 0: any free port; ``server.server_port``)."""
    handler = _QuietHandler if quiet else WSGIRequestHandler
    return make_server(host, port, app, server_class=_ThreadingServer, handler_class=handler)
