"""A client of the Haal Centraal "BRP Personen Bevragen" API (VNG standard, version 2).

One operation is used: ``POST {BRP_BASE_URL}/personen`` with the query type
``RaadpleegMetBurgerservicenummer`` and a ``fields`` list (the spec requires one; a gemeente is
only given the fields its purpose needs). The answer is mapped to plain dataclasses, so no caller
sees the API's JSON. Errors are one of three exceptions:

* :class:`BrpNotFound`: the BRP knows no person with this BSN (the spec answers ``200`` with an
  empty ``personen`` list);
* :class:`BrpUnavailable`: no answer in time, no connection, or a 5xx answer (the consulent then
  registers by hand);
* :class:`BrpError`: any other refusal (400 ``paramsValidation``, 401/403 credentials, an answer
  that is not the spec's), with the ``application/problem+json`` fields that came with it.

Standard library only (``urllib``): no HTTP package is a runtime dependency of the project. The
BSN never appears in an exception message or log line.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

QUERY_TYPE = "RaadpleegMetBurgerservicenummer"

#: The fields the new-application flow needs (naam, geboortedatum, adres, the municipality the
#: person is registered in, partners, kinderen).
FIELDS: tuple[str, ...] = (
    "burgerservicenummer",
    "naam.voornamen",
    "naam.voorvoegsel",
    "naam.geslachtsnaam",
    "geboorte.datum",
    "verblijfplaats.verblijfadres.officieleStraatnaam",
    "verblijfplaats.verblijfadres.korteStraatnaam",
    "verblijfplaats.verblijfadres.huisnummer",
    "verblijfplaats.verblijfadres.huisletter",
    "verblijfplaats.verblijfadres.huisnummertoevoeging",
    "verblijfplaats.verblijfadres.postcode",
    "verblijfplaats.verblijfadres.woonplaats",
    "gemeenteVanInschrijving",
    "partners.burgerservicenummer",
    "partners.naam.voornamen",
    "partners.naam.voorvoegsel",
    "partners.naam.geslachtsnaam",
    "partners.geboorte.datum",
    "kinderen.burgerservicenummer",
    "kinderen.naam.voornamen",
    "kinderen.naam.voorvoegsel",
    "kinderen.naam.geslachtsnaam",
    "kinderen.geboorte.datum",
)


# --- errors -----------------------------------------------------------------------------------


class BrpError(Exception):
    """The BRP refused the question or answered outside the spec. ``status``, ``code``,
    ``title`` and ``invalid_params`` come from the problem+json answer when there was one."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str = "",
        title: str = "",
        invalid_params: tuple[dict[str, str], ...] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.title = title
        self.invalid_params = invalid_params


class BrpUnavailable(BrpError):
    """No usable answer: timeout, no connection, not configured, or a 5xx answer."""


class BrpNotFound(BrpError):
    """The BRP holds no (living) person with this BSN."""


# --- the answer as plain data -----------------------------------------------------------------


@dataclass(frozen=True)
class BrpName:
    voornamen: str = ""
    voorvoegsel: str = ""
    geslachtsnaam: str = ""

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.voornamen, self.voorvoegsel, self.geslachtsnaam) if p)


@dataclass(frozen=True)
class BrpAddress:
    straat: str = ""
    huisnummer: int | None = None
    huisletter: str = ""
    huisnummertoevoeging: str = ""
    postcode: str = ""
    woonplaats: str = ""

    @property
    def house_number(self) -> str:
        """Huisnummer, huisletter and toevoeging as one text (``12``, ``12A``, ``12A-2``)."""
        text = f"{self.huisnummer or ''}{self.huisletter}"
        return f"{text}-{self.huisnummertoevoeging}" if self.huisnummertoevoeging else text


@dataclass(frozen=True)
class BrpMunicipality:
    """``gemeenteVanInschrijving``: the municipality whose BRP register holds the person (the
    gemeentecode's four digits, ``0402``; ``1999`` is the RNI, for non-residents)."""

    code: str
    omschrijving: str = ""

    @property
    def cbs_code(self) -> str:
        """As ``Municipality.cbs_code`` writes it: ``GM0402``."""
        return f"GM{self.code}"


@dataclass(frozen=True)
class BrpRelative:
    """A partner or child as the BRP names them on the person."""

    bsn: str
    naam: BrpName
    geboortedatum: dt.date | None


@dataclass(frozen=True)
class BrpPerson:
    bsn: str
    naam: BrpName
    geboortedatum: dt.date | None
    adres: BrpAddress | None
    partners: tuple[BrpRelative, ...] = field(default=())
    kinderen: tuple[BrpRelative, ...] = field(default=())
    gemeente_van_inschrijving: BrpMunicipality | None = None


def _date(value: Any) -> dt.date | None:
    """A ``Datum`` (full date); a partly unknown date (JaarDatum, JaarMaandDatum,
    DatumOnbekend) is ``None``: the consulent fills it in."""
    if not isinstance(value, dict) or value.get("type") != "Datum":
        return None
    try:
        return dt.date.fromisoformat(str(value.get("datum", "")))
    except ValueError:
        return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _name(value: Any) -> BrpName:
    value = value if isinstance(value, dict) else {}
    return BrpName(
        voornamen=_text(value.get("voornamen")),
        voorvoegsel=_text(value.get("voorvoegsel")),
        geslachtsnaam=_text(value.get("geslachtsnaam")),
    )


def _address(value: Any) -> BrpAddress | None:
    if not isinstance(value, dict) or value.get("type") != "Adres":
        return None  # VerblijfplaatsBuitenland, VerblijfplaatsOnbekend, Locatie: no Dutch address
    adres = value.get("verblijfadres")
    if not isinstance(adres, dict):
        return None
    huisnummer = adres.get("huisnummer")
    return BrpAddress(
        straat=_text(adres.get("officieleStraatnaam")) or _text(adres.get("korteStraatnaam")),
        huisnummer=huisnummer if isinstance(huisnummer, int) else None,
        huisletter=_text(adres.get("huisletter")),
        huisnummertoevoeging=_text(adres.get("huisnummertoevoeging")),
        postcode=_text(adres.get("postcode")).upper(),
        woonplaats=_text(adres.get("woonplaats")),
    )


def _municipality(value: Any) -> BrpMunicipality | None:
    """A ``gemeenteVanInschrijving`` with a four-digit code; else None (not told)."""
    if not isinstance(value, dict):
        return None
    code = _text(value.get("code"))
    if len(code) != 4 or not code.isascii() or not code.isdigit():
        return None
    return BrpMunicipality(code=code, omschrijving=_text(value.get("omschrijving")))


def _relatives(value: Any) -> tuple[BrpRelative, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(
        BrpRelative(
            bsn=_text(item.get("burgerservicenummer")),
            naam=_name(item.get("naam")),
            geboortedatum=_date((item.get("geboorte") or {}).get("datum")),
        )
        for item in value
        if isinstance(item, dict)
    )


def person_from_json(data: dict[str, Any]) -> BrpPerson:
    """Map one ``Persoon`` of the answer to :class:`BrpPerson`."""
    return BrpPerson(
        bsn=_text(data.get("burgerservicenummer")),
        naam=_name(data.get("naam")),
        geboortedatum=_date((data.get("geboorte") or {}).get("datum")),
        adres=_address(data.get("verblijfplaats")),
        partners=_relatives(data.get("partners")),
        kinderen=_relatives(data.get("kinderen")),
        gemeente_van_inschrijving=_municipality(data.get("gemeenteVanInschrijving")),
    )


# --- the client -------------------------------------------------------------------------------


class BrpClient:
    """``BrpClient().person(bsn=...)``; base URL, key, header and timeout from the settings
    unless given."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        api_key_header: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.base_url = (settings.BRP_BASE_URL if base_url is None else base_url).rstrip("/")
        self.api_key = settings.BRP_API_KEY if api_key is None else api_key
        self.api_key_header = (
            settings.BRP_API_KEY_HEADER if api_key_header is None else api_key_header
        )
        self.timeout = float(settings.BRP_TIMEOUT if timeout is None else timeout)

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        if not self.base_url:
            raise BrpUnavailable("De BRP-koppeling is niet ingesteld.")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers[self.api_key_header] = self.api_key
        request = urllib.request.Request(  # noqa: S310 (the URL is a setting, http/https)
            f"{self.base_url}/personen",
            data=json.dumps(body).encode(),
            headers=headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise _problem(exc) from None
        except TimeoutError as exc:
            logger.warning("BRP: no answer within %.1f s", self.timeout)
            raise BrpUnavailable("De BRP gaf niet op tijd antwoord.") from exc
        except (urllib.error.URLError, OSError) as exc:
            logger.warning("BRP: no connection (%s)", type(exc).__name__)
            raise BrpUnavailable("De BRP is niet bereikbaar.") from exc
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise BrpError("Het antwoord van de BRP is onleesbaar.") from exc
        if not isinstance(data, dict):
            raise BrpError("Het antwoord van de BRP is onleesbaar.")
        return data

    def person(self, *, bsn: str) -> BrpPerson:
        """Raadpleeg one person by BSN. Raises BrpNotFound, BrpUnavailable or BrpError."""
        data = self._post(
            {"type": QUERY_TYPE, "burgerservicenummer": [bsn], "fields": list(FIELDS)}
        )
        if data.get("type") != QUERY_TYPE or not isinstance(data.get("personen"), list):
            raise BrpError("Het antwoord van de BRP is onleesbaar.")
        found = [
            p
            for p in data["personen"]
            if isinstance(p, dict) and p.get("burgerservicenummer") == bsn
        ]
        if not found:
            raise BrpNotFound("De BRP kent geen persoon met dit BSN.")
        return person_from_json(found[0])


def _problem(exc: urllib.error.HTTPError) -> BrpError:
    """An error answer (problem+json per the spec) as one of the exceptions."""
    problem: dict[str, Any] = {}
    try:
        parsed = json.loads(exc.read() or b"{}")
        if isinstance(parsed, dict):
            problem = parsed
    except (ValueError, OSError):
        pass
    params = problem.get("invalidParams")
    invalid_params = tuple(
        {k: _text(p.get(k)) for k in ("name", "code", "reason")}
        for p in (params if isinstance(params, list) else [])
        if isinstance(p, dict)
    )
    code, title = _text(problem.get("code")), _text(problem.get("title"))
    logger.warning("BRP: answer %s (%s)", exc.code, code or "no problem code")
    if exc.code >= 500:
        kind: type[BrpError] = BrpUnavailable
        message = "De BRP is tijdelijk niet beschikbaar."
    elif exc.code in (401, 403):
        kind, message = BrpError, "De BRP weigert de toegang (sleutel of autorisatie)."
    else:
        kind, message = BrpError, "De BRP weigerde de vraag."
    return kind(message, status=exc.code, code=code, title=title, invalid_params=invalid_params)
