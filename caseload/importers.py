"""Bulk import of residents, households and benefits from a CSV or XLSX export of the benefits
administration. The column mapping is documented in docs/api.md ("Bulkimport").

A parser and the import; the writes are ``caseload.services`` (issue 16, point 2). The file is
read by the shared reader (``common/tabular_read.py``: encoding, delimiter, XLSX, limits) and
every row is validated by :class:`ResidentRowForm`, so a row's errors are field errors keyed by
column, with Django's Dutch messages where the rule is Django's.

Two passes. First every row is parsed and validated by its form. Then every row that passed is
applied in one transaction through the caseload services, each row in a savepoint so that every
row the services refuse is reported too, also when other rows failed the first pass (issue 13,
finding 8); if any row failed either pass, everything is rolled back. So one run reports every
error of every row, each once, sorted by line. Errors name the line number and the column, never
the BSN or another cell value. Re-importing the same file changes nothing: residents are matched
on BSN, households through their residents, benefits on (household, regime, start date).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from common.bsn import is_valid_bsn
from common.exceptions import DomainError
from common.tabular_read import RowForm, TabularFileError, read_table

from . import services
from .forms import AddressSearchForm
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
REQUIRED_COLUMNS = tuple(c for c, (required, _) in COLUMNS.items() if required)

TRUE_VALUES = {"ja", "j", "1", "true", "waar", "x", "yes", "y"}
FALSE_VALUES = {"nee", "n", "0", "false", "onwaar", "", "no"}

#: the file as a whole cannot be read (format, header, limits): the shared reader's error
ImportFileError = TabularFileError


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


#: what each count of :class:`ImportResult` means, in Dutch (the result page showed the keys,
#: ``benefits_created``; the walk of 3 December)
COUNT_LABELS = {
    "residents_created": _("Inwoners geregistreerd"),
    "residents_updated": _("Inwoners bijgewerkt"),
    "residents_unchanged": _("Inwoners ongewijzigd"),
    "households_created": _("Huishoudens aangemaakt"),
    "households_updated": _("Huishoudens bijgewerkt"),
    "benefits_created": _("Uitkeringen aangemaakt"),
    "benefits_ended": _("Uitkeringen beëindigd"),
    "benefits_unchanged": _("Uitkeringen ongewijzigd"),
}


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


# --------------------------------------------------------------------------------------------
# One row: a form per row kind
# --------------------------------------------------------------------------------------------


class _YesNoField(forms.Field):
    """ja/nee (and the usual spellings); empty is nee."""

    default_error_messages = {"invalid": "Vul ja of nee in."}

    def to_python(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class _CodeField(forms.Field):
    """A code of ``choices``, matched case-insensitively on the code or its label. The message
    lists the codes, never the cell."""

    def __init__(self, choices: Sequence[tuple[Any, Any]], *, required: bool = False) -> None:
        super().__init__(required=required)
        self.codes = {str(code).lower(): code for code, _ in choices if code}
        self.codes |= {str(label).lower(): code for code, label in choices if code}
        listed = ", ".join(str(code) for code, _ in choices if code)
        self.error_messages["invalid"] = f"Onbekende waarde; kies uit {listed}."

    def to_python(self, value: Any) -> str:
        text = "" if value is None else str(value).strip().lower()
        if not text:
            return ""
        if text not in self.codes:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return self.codes[text]


def _date_field(*, required: bool) -> forms.DateField:
    return forms.DateField(
        required=required,
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        error_messages={"invalid": "Vul een geldige datum in (JJJJ-MM-DD of DD-MM-JJJJ)."},
    )


class ResidentRowForm(RowForm):
    """One row of the caseload export: a resident, their household and optionally a benefit.
    Field names are the column names; ``lookups`` resolves team, consulent and wijk by name."""

    bsn = forms.CharField()
    voornaam = forms.CharField(max_length=60)
    tussenvoegsel = forms.CharField(max_length=20, required=False)
    achternaam = forms.CharField(max_length=80)
    geboortedatum = _date_field(required=True)
    rol_huishouden = _CodeField(HouseholdRole.choices)
    opleidingsniveau = _CodeField(EducationLevel.choices)
    startkwalificatie = _YesNoField(required=False)
    statushouder = _YesNoField(required=False)
    doelgroepregister = _YesNoField(required=False)
    taalniveau = _CodeField(LanguageLevel.choices)
    team = forms.CharField()
    consulent = forms.CharField(required=False)
    huishouden = forms.CharField()
    leefvorm = _CodeField(HouseholdType.choices, required=True)
    straat = forms.CharField()
    huisnummer = forms.CharField()
    #: the address search's postcode rule (4 digits, the first not 0, and 2 letters), the
    #: households table's check constraint: ``1211 AB`` or ``1211AB``, any case
    postcode = copy.deepcopy(AddressSearchForm.base_fields["postcode"])
    woonplaats = forms.CharField()
    wijk = forms.CharField(required=False)
    kinderen = forms.IntegerField(required=False, min_value=0, max_value=30)
    regeling = _CodeField(Regime.choices)
    ingangsdatum = _date_field(required=False)
    einddatum = _date_field(required=False)
    reden_einde = _CodeField(CbsEndReason.choices)

    def __init__(self, data: dict[str, Any], *, lookups: _Lookups) -> None:
        super().__init__(data)
        self.lookups = lookups

    def clean_bsn(self) -> str:
        bsn = self.cleaned_data["bsn"]
        if not is_valid_bsn(bsn):
            raise ValidationError("Dit is geen geldig BSN (elfproef).", code="bsn_invalid")
        return bsn

    def clean_team(self) -> Team:
        team = self.lookups.teams.get(self.cleaned_data["team"].lower())
        if team is None:
            raise ValidationError("Onbekend team in deze gemeente.", code="team")
        return team

    def clean_consulent(self) -> User | None:
        name = self.cleaned_data["consulent"]
        if not name:
            return None
        consulent = self.lookups.consulenten.get(name.lower())
        if consulent is None:
            raise ValidationError("Onbekende consulent in deze gemeente.", code="consulent")
        return consulent

    def clean_wijk(self) -> District | None:
        name = self.cleaned_data["wijk"]
        if not name:
            return None
        district = self.lookups.districts.get(name.lower())
        if district is None:
            raise ValidationError("Onbekende wijk in deze gemeente.", code="wijk")
        return district

    def clean_postcode(self) -> str:
        """Upper case, with the one space as written (``1211 AB`` or ``1211AB``)."""
        value = self.cleaned_data["postcode"].strip()  # a RegexField keeps the spaces
        compact = "".join(value.split()).upper()
        return f"{compact[:4]} {compact[4:]}" if len(value) > len(compact) else compact

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("regeling"):
            if "ingangsdatum" in data and data["ingangsdatum"] is None:
                self.add_error("ingangsdatum", "Vul de ingangsdatum in bij een regeling.")
            if data.get("einddatum") and "reden_einde" in data and not data["reden_einde"]:
                self.add_error("reden_einde", "Vul de reden in bij een einddatum.")
        elif "regeling" in data and any(
            self._has(c) for c in ("ingangsdatum", "einddatum", "reden_einde")
        ):
            self.add_error("regeling", "Vul de regeling in bij uitkeringsgegevens.")
        return data

    def _has(self, column: str) -> bool:
        value = self.data.get(column)
        return value is not None and str(value).strip() != ""

    def parsed(self, line: int) -> ParsedRow:
        """The valid row as the import applies it (call after ``is_valid()``)."""
        data = self.cleaned_data
        district = data["wijk"]
        benefit = None
        if data["regeling"]:
            benefit = {
                "regime": data["regeling"],
                "start_date": data["ingangsdatum"],
                "end_date": data["einddatum"],
                "end_reason": data["reden_einde"],
            }
        return ParsedRow(
            line=line,
            bsn=data["bsn"],
            household_ref=data["huishouden"],
            resident={
                "first_name": data["voornaam"],
                "name_prefix": data["tussenvoegsel"],
                "last_name": data["achternaam"],
                "birth_date": data["geboortedatum"],
                "household_role": data["rol_huishouden"] or HouseholdRole.APPLICANT,
                "education_level": data["opleidingsniveau"],
                "has_startkwalificatie": data["startkwalificatie"],
                "is_status_holder": data["statushouder"],
                "in_doelgroepregister": data["doelgroepregister"],
                "language_level": data["taalniveau"],
            },
            team=data["team"],
            consulent=data["consulent"],
            household={
                "household_type": data["leefvorm"],
                "street": data["straat"],
                "house_number": data["huisnummer"],
                "postcode": data["postcode"],
                "city": data["woonplaats"],
                "district_id": district.pk if district else None,
                "children_count": data["kinderen"] or 0,
            },
            benefit=benefit,
        )


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
        table = read_table(content, filename=filename, required=REQUIRED_COLUMNS)
        raw_rows = list(table)
    except TabularFileError as exc:
        result.errors.append(RowError(1, exc.message))
        return result
    result.total_rows = total = len(raw_rows)
    if total == 0:
        result.errors.append(RowError(1, "Het bestand bevat geen regels met gegevens."))
        return result

    lookups = _Lookups(municipality)
    parsed: list[ParsedRow] = []
    seen_bsn: dict[str, int] = {}
    household_first: dict[str, ParsedRow] = {}
    for index, raw in enumerate(raw_rows, start=1):
        form = ResidentRowForm(raw.values, lookups=lookups)
        if progress and (index % 100 == 0 or index == total):
            progress("controleren", index, total)
        if not form.is_valid():
            result.errors.extend(
                RowError(raw.line, message, column) for column, message in form.row_errors()
            )
            continue
        row = form.parsed(raw.line)
        line = row.line
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

    # Every row that passed the row checks goes on to the services' checks, also when other
    # rows failed (issue 13, finding 8): the report then holds every error of every row at
    # once, and nothing is written (the apply below is rolled back).
    existing = {
        r.bsn: r for r in Resident.objects.filter(bsn__in=seen_bsn).select_related("household")
    }
    elsewhere = set()
    for row in parsed:
        resident = existing.get(row.bsn)
        if resident is not None and resident.municipality_id != municipality.pk:
            elsewhere.add(row.line)
            result.errors.append(
                RowError(row.line, "deze inwoner staat al bij een andere gemeente ingeschreven.")
            )
    parsed = [row for row in parsed if row.line not in elsewhere]

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
        else:
            # one record naming every resident of the file (created, changed or checked
            # unchanged), committed with the import (security review of 3 December, finding 3)
            services.residents_processed(
                resident_ids=[existing[row.bsn].pk for row in parsed],
                by=by,
                object_type="resident_import",
                reason=f"caseloadimport: {len(parsed)} inwoners",
            )
    if result.errors or dry_run:
        # nothing written, but the residents the file named were looked up (and the report
        # tells per line what it found)
        services.residents_processed(
            resident_ids=[r.pk for r in Resident.objects.filter(bsn__in=seen_bsn)],
            by=by,
            object_type="resident_import",
            reason="caseloadimport: "
            + ("proefimport" if dry_run and not result.errors else "afgekeurd"),
            looked_up=True,
        )
    if result.errors:
        result.counts = ImportResult().counts
        result.errors.sort(key=lambda error: error.line)  # by line; a row's errors in order
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
        before = {name: getattr(household, name) for name in services.HOUSEHOLD_FIELDS}
        household = services.household_update(household=household, **row.household)
        if before != {name: getattr(household, name) for name in services.HOUSEHOLD_FIELDS}:
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
        resident = services.resident_update(resident=resident, **row.resident)
        if resident.team_id != row.team.pk or resident.consulent_id != (
            row.consulent.pk if row.consulent else None
        ):
            resident = services.resident_reassign(
                resident=resident, team=row.team, consulent=row.consulent, by=by
            )
            changed = True
        counts["residents_updated" if changed else "residents_unchanged"] += 1
    if row.benefit is not None:
        _apply_benefit(row.benefit, household, resident, counts, by)


def _apply_benefit(
    data: dict, household: Household, resident: Resident, counts: dict, by: User
) -> None:
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
            services.benefit_close(
                benefit=benefit, on=data["end_date"], result=data["end_reason"], by=by
            )
        return
    if data["end_date"] and benefit.end_date is None:
        services.benefit_close(
            benefit=benefit, on=data["end_date"], result=data["end_reason"], by=by
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
