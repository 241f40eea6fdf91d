"""Bulk import of residents, households and benefits from a CSV or XLSX export of the benefits
administration. The column mapping is documented in docs/api.md ("Bulkimport").

Two passes. First every row is parsed and validated; any error stops the import before a single
write. Then all rows are applied in one transaction through the caseload services, each row in a
savepoint so that every failing row is reported; if any row fails, everything is rolled back.
Errors name the line number and the column, never the BSN. Re-importing the same file changes
nothing: residents are matched on BSN, households through their residents, benefits on
(household, regime, start date).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from common.bsn import is_valid_bsn
from common.exceptions import DomainError

from . import services
from .models import (
    Benefit,
    CbsEndReason,
    District,
    EducationLevel,
    Household,
    HouseholdRole,
    HouseholdType,
    LanguageLevel,
    Municipality,
    Regime,
    Resident,
    Team,
    User,
)

# --------------------------------------------------------------------------------------------
# Writes the import (and the API's PATCH) need that caseload.services does not offer yet.
# Same contract as the services: keyword-only, atomic, DomainError with a Dutch message.
# --------------------------------------------------------------------------------------------

RESIDENT_DETAIL_FIELDS = (
    "first_name",
    "name_prefix",
    "last_name",
    "birth_date",
    "household_role",
    "education_level",
    "has_startkwalificatie",
    "is_status_holder",
    "in_doelgroepregister",
    "language_level",
)
HOUSEHOLD_FIELDS = (
    "household_type",
    "street",
    "house_number",
    "postcode",
    "city",
    "district_id",
    "children_count",
)


def _validation_to_domain(exc: ValidationError) -> DomainError:
    if hasattr(exc, "error_dict"):
        name, messages = next(iter(exc.message_dict.items()))
        return DomainError(" ".join(messages), code="invalid", field=name)
    return DomainError(" ".join(exc.messages), code="invalid")


@transaction.atomic
def resident_details_update(*, resident: Resident, **changes) -> Resident:
    """Change a resident's details (not the BSN, team or consulent: see resident_reassign)."""
    unknown = set(changes) - set(RESIDENT_DETAIL_FIELDS)
    if unknown:
        raise DomainError("Deze gegevens kunnen niet worden gewijzigd.", code="field")
    changed = [name for name, value in changes.items() if getattr(resident, name) != value]
    if not changed:
        return resident
    for name in changed:
        setattr(resident, name, changes[name])
    if resident.birth_date >= services._today():
        raise DomainError(
            "De geboortedatum moet in het verleden liggen.", code="birth_date", field="birth_date"
        )
    if (
        resident.has_startkwalificatie
        and resident.education_level in services.NO_STARTKWALIFICATIE_LEVELS
    ):
        raise DomainError(
            "Met dit opleidingsniveau is er geen startkwalificatie.",
            code="startkwalificatie",
            field="has_startkwalificatie",
        )
    try:
        resident.full_clean(validate_unique=False, exclude=["bsn"])
    except ValidationError as exc:
        raise _validation_to_domain(exc) from exc
    resident.save(update_fields=changed)
    services._case_changed(
        municipality_id=resident.municipality_id, affected_from=services._today()
    )
    return resident


@transaction.atomic
def household_update(*, household: Household, **changes) -> Household:
    unknown = set(changes) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise DomainError("Deze gegevens kunnen niet worden gewijzigd.", code="field")
    if "postcode" in changes:
        changes["postcode"] = changes["postcode"].strip().upper()
    changed = [name for name, value in changes.items() if getattr(household, name) != value]
    if not changed:
        return household
    for name in changed:
        setattr(household, name, changes[name])
    try:
        household.full_clean()
    except ValidationError as exc:
        raise _validation_to_domain(exc) from exc
    household.save(update_fields=changed)
    services._case_changed(
        municipality_id=household.municipality_id, affected_from=services._today()
    )
    return household


# --------------------------------------------------------------------------------------------
# Column mapping
# --------------------------------------------------------------------------------------------

#: column -> (required, Dutch description); the first row of the file holds these names
COLUMNS: dict[str, tuple[bool, str]] = {
    "bsn": (True, "BSN, 9 cijfers met elfproef"),
    "voornaam": (True, "voornaam"),
    "tussenvoegsel": (False, "tussenvoegsel"),
    "achternaam": (True, "achternaam"),
    "geboortedatum": (True, "geboortedatum, JJJJ-MM-DD of DD-MM-JJJJ"),
    "rol_huishouden": (False, "aanvrager (standaard), partner of overig"),
    "opleidingsniveau": (False, "code opleidingsniveau, bijv. mbo2"),
    "startkwalificatie": (False, "ja/nee"),
    "statushouder": (False, "ja/nee"),
    "doelgroepregister": (False, "ja/nee"),
    "taalniveau": (False, "code taalniveau, bijv. b1"),
    "team": (True, "naam van het team"),
    "consulent": (False, "gebruikersnaam van de consulent"),
    "huishouden": (True, "kenmerk van het huishouden in het bronbestand"),
    "leefvorm": (True, "alleenstaand, alleenstaande_ouder, gehuwd of overig"),
    "straat": (True, "straat"),
    "huisnummer": (True, "huisnummer met toevoeging"),
    "postcode": (True, "postcode, bijv. 1211 AB"),
    "woonplaats": (True, "woonplaats"),
    "wijk": (False, "naam van de wijk"),
    "kinderen": (False, "aantal minderjarige kinderen"),
    "regeling": (False, "pw, ioaw, ioaz, bbz_starter of lks; leeg: geen uitkering"),
    "ingangsdatum": (False, "ingangsdatum uitkering (verplicht bij regeling)"),
    "einddatum": (False, "einddatum uitkering"),
    "reden_einde": (False, "CBS-reden beëindiging, bijv. 11 (verplicht bij einddatum)"),
}
HOUSEHOLD_COLUMNS = (
    "leefvorm",
    "straat",
    "huisnummer",
    "postcode",
    "woonplaats",
    "wijk",
    "kinderen",
)

TRUE_VALUES = {"ja", "j", "1", "true", "waar", "x", "yes", "y"}
FALSE_VALUES = {"nee", "n", "0", "false", "onwaar", "", "no"}


@dataclass
class RowError:
    line: int
    message: str
    column: str | None = None

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = f"regel {self.line}" + (f", kolom '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: {
            "residents_created": 0,
            "residents_updated": 0,
            "residents_unchanged": 0,
            "households_created": 0,
            "households_updated": 0,
            "benefits_created": 0,
            "benefits_ended": 0,
            "benefits_unchanged": 0,
        }
    )

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ParsedRow:
    line: int
    bsn: str
    household_ref: str
    resident: dict
    team: Team
    consulent: User | None
    household: dict
    benefit: dict | None


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, header)."""


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def read_rows(*, content: bytes, filename: str) -> Iterator[tuple[int, dict[str, object]]]:
    """(line number, {column: value}) for every non-empty data row; line 1 is the header."""
    if filename.lower().endswith(".xlsx"):
        yield from _read_xlsx(content)
    else:
        yield from _read_csv(content)


def _header(names: Iterable[object]) -> list[str]:
    header = [str(n or "").strip().lower().replace(" ", "_") for n in names]
    missing = [c for c, (required, _) in COLUMNS.items() if required and c not in header]
    if missing:
        raise ImportFileError("Verplichte kolommen ontbreken: " + ", ".join(missing) + ".")
    return header


def _read_csv(content: bytes) -> Iterator[tuple[int, dict[str, object]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = _header(next(reader))
    except StopIteration as exc:
        raise ImportFileError("Het bestand is leeg.") from exc
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        yield reader.line_num, dict(zip(header, values, strict=False))


def _read_xlsx(content: bytes) -> Iterator[tuple[int, dict[str, object]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a file error for the user
        raise ImportFileError("Dit is geen leesbaar XLSX-bestand.") from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = _header(next(rows))
    except StopIteration as exc:
        raise ImportFileError("Het bestand is leeg.") from exc
    for number, values in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        yield number, dict(zip(header, values, strict=False))
    workbook.close()


# --------------------------------------------------------------------------------------------
# Parsing and validating one row
# --------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    raise ValueError("geen geldige datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ)")


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    raise ValueError("vul ja of nee in")


def _choice(value: object, choices, *, allow_blank: bool = True) -> str:
    text = _text(value)
    if not text and allow_blank:
        return ""
    lowered = text.lower()
    for code, label in choices:
        if lowered in (str(code).lower(), str(label).lower()):
            return code
    raise ValueError("onbekende waarde; kies uit " + ", ".join(str(c) for c, _ in choices if c))


class _Lookups:
    """Teams, consulenten and districts of the municipality, loaded once."""

    def __init__(self, municipality: Municipality) -> None:
        self.teams = {t.name.lower(): t for t in Team.objects.filter(municipality=municipality)}
        self.consulenten = {
            u.username.lower(): u
            for u in User.objects.filter(team__municipality=municipality, is_active=True)
        }
        self.districts = {
            d.name.lower(): d for d in District.objects.filter(municipality=municipality)
        }


def _parse_row(line: int, raw: dict[str, object], lookups: _Lookups, errors: list[RowError]):
    row_errors: list[RowError] = []

    def get(column: str, convert=_text, required: bool = False):
        value = raw.get(column)
        if required and not _text(value) and not isinstance(value, dt.date):
            row_errors.append(RowError(line, "is verplicht.", column))
            return None
        try:
            return convert(value)
        except ValueError as exc:
            row_errors.append(RowError(line, f"{exc}.", column))
            return None

    bsn = get("bsn", required=True)
    if bsn and not is_valid_bsn(bsn):
        row_errors.append(RowError(line, "geen geldig BSN (elfproef).", "bsn"))
    resident = {
        "first_name": get("voornaam", required=True),
        "name_prefix": get("tussenvoegsel"),
        "last_name": get("achternaam", required=True),
        "birth_date": get("geboortedatum", _date, required=True),
        "household_role": get(
            "rol_huishouden", lambda v: _choice(v, HouseholdRole.choices) or "aanvrager"
        ),
        "education_level": get("opleidingsniveau", lambda v: _choice(v, EducationLevel.choices)),
        "has_startkwalificatie": get("startkwalificatie", _bool),
        "is_status_holder": get("statushouder", _bool),
        "in_doelgroepregister": get("doelgroepregister", _bool),
        "language_level": get("taalniveau", lambda v: _choice(v, LanguageLevel.choices)),
    }
    for name, limit in (("first_name", 60), ("name_prefix", 20), ("last_name", 80)):
        if resident[name] and len(resident[name]) > limit:
            row_errors.append(RowError(line, f"langer dan {limit} tekens.", name))
    team_name = get("team", required=True)
    team = lookups.teams.get(team_name.lower()) if team_name else None
    if team_name and team is None:
        row_errors.append(RowError(line, "onbekend team in deze gemeente.", "team"))
    consulent_name = get("consulent")
    consulent = lookups.consulenten.get(consulent_name.lower()) if consulent_name else None
    if consulent_name and consulent is None:
        row_errors.append(RowError(line, "onbekende consulent in deze gemeente.", "consulent"))
    district_name = get("wijk")
    district = lookups.districts.get(district_name.lower()) if district_name else None
    if district_name and district is None:
        row_errors.append(RowError(line, "onbekende wijk in deze gemeente.", "wijk"))
    household = {
        "household_type": get(
            "leefvorm", lambda v: _choice(v, HouseholdType.choices, allow_blank=False), True
        ),
        "street": get("straat", required=True),
        "house_number": get("huisnummer", required=True),
        "postcode": get("postcode", lambda v: _text(v).upper(), required=True),
        "city": get("woonplaats", required=True),
        "district_id": district.pk if district else None,
        "children_count": get("kinderen", lambda v: _count(v)),
    }
    benefit = None
    regime = get("regeling", lambda v: _choice(v, Regime.choices))
    if regime:
        benefit = {
            "regime": regime,
            "start_date": get("ingangsdatum", _date, required=True),
            "end_date": get("einddatum", lambda v: _date(v) if _text(v) else None),
            "end_reason": get("reden_einde", lambda v: _choice(v, CbsEndReason.choices)),
        }
        if benefit["end_date"] and not benefit["end_reason"]:
            row_errors.append(RowError(line, "is verplicht bij een einddatum.", "reden_einde"))
    elif any(_text(raw.get(c)) for c in ("ingangsdatum", "einddatum", "reden_einde")):
        row_errors.append(RowError(line, "vul de regeling in bij uitkeringsgegevens.", "regeling"))
    household_ref = get("huishouden", required=True)
    errors.extend(row_errors)
    if row_errors:
        return None
    return ParsedRow(
        line=line,
        bsn=bsn,
        household_ref=household_ref,
        resident=resident,
        team=team,
        consulent=consulent,
        household=household,
        benefit=benefit,
    )


def _count(value: object) -> int:
    text = _text(value)
    if not text:
        return 0
    if not text.isdigit() or int(text) > 30:
        raise ValueError("geen geldig aantal (0 tot en met 30)")
    return int(text)


# --------------------------------------------------------------------------------------------
# The import
# --------------------------------------------------------------------------------------------

ProgressCallback = Callable[[str, int, int], None]


def caseload_import(
    *,
    content: bytes,
    filename: str,
    municipality: Municipality,
    by: User,
    progress: ProgressCallback | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Validate and apply a caseload export; all or nothing. ``progress(phase, done, total)``."""
    result = ImportResult()
    try:
        raw_rows = list(read_rows(content=content, filename=filename))
    except ImportFileError as exc:
        result.errors.append(RowError(1, str(exc)))
        return result
    except csv.Error as exc:
        result.errors.append(RowError(1, f"Het CSV-bestand is niet leesbaar ({exc})."))
        return result
    result.total_rows = total = len(raw_rows)
    if total == 0:
        result.errors.append(RowError(1, "Het bestand bevat geen regels met gegevens."))
        return result

    lookups = _Lookups(municipality)
    parsed: list[ParsedRow] = []
    seen_bsn: dict[str, int] = {}
    household_first: dict[str, ParsedRow] = {}
    for index, (line, raw) in enumerate(raw_rows, start=1):
        row = _parse_row(line, raw, lookups, result.errors)
        if progress and (index % 100 == 0 or index == total):
            progress("controleren", index, total)
        if row is None:
            continue
        if row.bsn in seen_bsn:
            result.errors.append(
                RowError(line, f"dit BSN staat ook op regel {seen_bsn[row.bsn]}.", "bsn")
            )
            continue
        seen_bsn[row.bsn] = line
        first = household_first.setdefault(row.household_ref, row)
        if first is not row and first.household != row.household:
            result.errors.append(
                RowError(
                    line,
                    f"huishouden heeft andere adresgegevens dan op regel {first.line}.",
                    "huishouden",
                )
            )
            continue
        parsed.append(row)
    if result.errors:
        return result

    existing = {
        r.bsn: r for r in Resident.objects.filter(bsn__in=seen_bsn).select_related("household")
    }
    for row in parsed:
        resident = existing.get(row.bsn)
        if resident is not None and resident.municipality_id != municipality.pk:
            result.errors.append(
                RowError(row.line, "deze inwoner staat al bij een andere gemeente ingeschreven.")
            )
    if result.errors:
        return result

    with transaction.atomic():
        households: dict[str, Household] = {}
        for row in parsed:
            resident = existing.get(row.bsn)
            if resident is not None:
                known = households.setdefault(row.household_ref, resident.household)
                if known.pk != resident.household_id:
                    result.errors.append(
                        RowError(
                            row.line,
                            "de inwoner hoort al bij een ander huishouden dan de andere leden "
                            "met dit kenmerk; verhuizingen gaan niet via de import.",
                            "huishouden",
                        )
                    )
        for index, row in enumerate(parsed, start=1):
            try:
                with transaction.atomic():
                    _apply_row(row, municipality, existing, households, result, by)
            except DomainError as exc:
                column = _COLUMN_OF_FIELD.get(exc.field or "", exc.field)
                result.errors.append(RowError(row.line, exc.message, column))
            except ValidationError as exc:
                result.errors.append(RowError(row.line, " ".join(exc.messages)))
            if progress and (index % 50 == 0 or index == len(parsed)):
                progress("inlezen", index, len(parsed))
        if result.errors or dry_run:
            transaction.set_rollback(True)
    if result.errors:
        result.counts = ImportResult().counts
    return result


_COLUMN_OF_FIELD = {
    "bsn": "bsn",
    "birth_date": "geboortedatum",
    "has_startkwalificatie": "startkwalificatie",
    "team": "team",
    "consulent": "consulent",
    "regime": "regeling",
    "end_date": "einddatum",
    "end_reason": "reden_einde",
    "postcode": "postcode",
    "household_type": "leefvorm",
}


def _apply_row(
    row: ParsedRow,
    municipality: Municipality,
    existing: dict[str, Resident],
    households: dict[str, Household],
    result: ImportResult,
    by: User,
) -> None:
    counts = result.counts
    household = households.get(row.household_ref)
    if household is None:
        household = services.household_create(municipality_id=municipality.pk, **row.household)
        households[row.household_ref] = household
        counts["households_created"] += 1
    else:
        before = {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}
        household = household_update(household=household, **row.household)
        if before != {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}:
            counts["households_updated"] += 1
    resident = existing.get(row.bsn)
    if resident is None:
        resident = services.resident_register(
            household=household,
            team=row.team,
            consulent=row.consulent,
            bsn=row.bsn,
            **row.resident,
        )
        existing[row.bsn] = resident
        counts["residents_created"] += 1
    else:
        changed = any(getattr(resident, k) != v for k, v in row.resident.items())
        resident = resident_details_update(resident=resident, **row.resident)
        if resident.team_id != row.team.pk or resident.consulent_id != (
            row.consulent.pk if row.consulent else None
        ):
            resident = services.resident_reassign(
                resident=resident, team=row.team, consulent=row.consulent, by=by
            )
            changed = True
        counts["residents_updated" if changed else "residents_unchanged"] += 1
    if row.benefit is not None:
        _apply_benefit(row.benefit, household, resident, counts)


def _apply_benefit(data: dict, household: Household, resident: Resident, counts: dict) -> None:
    benefit = Benefit.objects.filter(
        household=household, regime=data["regime"], start_date=data["start_date"]
    ).first()
    if benefit is None:
        benefit = services.benefit_open(
            household=household,
            applicant=resident,
            regime=data["regime"],
            start_date=data["start_date"],
        )
        counts["benefits_created"] += 1
        if data["end_date"]:
            services.benefit_end(
                benefit=benefit, end_date=data["end_date"], end_reason=data["end_reason"]
            )
        return
    if data["end_date"] and benefit.end_date is None:
        services.benefit_end(
            benefit=benefit, end_date=data["end_date"], end_reason=data["end_reason"]
        )
        counts["benefits_ended"] += 1
    elif data["end_date"] and (benefit.end_date, benefit.end_reason) != (
        data["end_date"],
        data["end_reason"],
    ):
        raise DomainError(
            "de uitkering is al beëindigd met een andere einddatum of reden.",
            code="benefit_ended",
            field="end_date",
        )
    else:
        counts["benefits_unchanged"] += 1


def template_csv() -> str:
    """An empty CSV with the header row, for the upload page and the docs."""
    return ";".join(COLUMNS) + "\n"
