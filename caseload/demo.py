"""Generator for one synthetic demo municipality: "Hilversum (demo)", CBS code GM0402.

``generate_demo`` builds a municipality with districts, teams and staff, and a benefit caseload
with several years of history: benefits that ended in the window (with CBS end reasons), the open
caseload at the anchor date, payments per month, applications (also those that did not lead to a
benefit), group assignments, trajectories, outflow, contacts, ladder scores, fraud investigations
and debt cases. Every resident is fictional (``is_fake``) with a generated BSN.

How it stays fast and memory-bounded:

* first a light *plan* per household (dates, group, team; a few small fields) is drawn for the
  whole municipality, so that the number of consulenten per team is known before any row is
  written;
* then households are generated in chunks; each chunk's rows are written per table with
  PostgreSQL ``COPY`` using primary keys allocated here, and the id sequences are moved past the
  highest id at the end.

The model is a stationary stock-and-flow process (M/G/infinity per work-readiness group): the
open caseload at the anchor date is exactly ``households``; ended benefits arrive at the rate
that keeps the caseload steady. Determinism: one ``random.Random(seed)`` and one seeded
``Faker('nl_NL')``, consumed in a fixed order; nothing iterates over a set.
"""

from __future__ import annotations

import math
import random
import time
from bisect import bisect, bisect_left
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from faker import Faker

from caseload import models as m
from caseload.catalogue import INSTRUMENTS
from common.bsn import generate_fake_bsn

MUNICIPALITY_NAME = "Hilversum (demo)"
MUNICIPALITY_CODE = "GM0402"
DEFAULT_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - public demo password, DEMO_MODE only
CITY = "Hilversum"
CHUNK_SIZE = 2000
RESIDENTS_PER_CONSULENT = 70

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = 30.44
ADULT_DAYS = 6575  # 18 years
AOW_YEARS = 67.0
MAX_AGE = 66.9
MAX_BENEFIT_DAYS = 48 * 365

TeamKind = m.Team.Kind

# --- Organisation -------------------------------------------------------------------------------

# (name, CBS wijk code, postcode numbers, weight of benefit households)
DISTRICTS: list[tuple[str, str, tuple[int, ...], int]] = [
    ("Centrum", "WK040200", (1211, 1214), 12),
    ("Noord", "WK040201", (1213, 1216), 16),
    ("Oost", "WK040202", (1215, 1217), 18),
    ("Zuidoost", "WK040203", (1221,), 10),
    ("Zuid", "WK040204", (1222,), 8),
    ("Zuidwest", "WK040205", (1218, 1219), 9),
    ("Noordwest", "WK040206", (1212,), 11),
    ("Kerkelanden", "WK040207", (1223,), 9),
    ("Hilversumse Meent", "WK040208", (1220,), 7),
]

TEAMS: list[tuple[str, str, str]] = [
    (TeamKind.POORT, "Poort", "poort"),
    (TeamKind.WORK, "Werk & Participatie", "werk"),
    (TeamKind.INCOME, "Inkomen", "inkomen"),
    (TeamKind.YOUTH, "Jongeren", "jongeren"),
    (TeamKind.STATUS_HOLDERS, "Statushouders", "statushouders"),
    (TeamKind.ENFORCEMENT, "Handhaving", "handhaving"),
]

# (username, role, team kind or "", is_staff)
DEMO_USERS: list[tuple[str, str, str, bool]] = [
    ("consulent", m.Role.CONSULENT, TeamKind.WORK, False),
    ("teamleider", m.Role.TEAMLEIDER, TeamKind.WORK, False),
    ("manager", m.Role.MANAGER, "", False),
    ("financien", m.Role.FINANCE, "", False),
    ("beheer", m.Role.BEHEER, "", True),
    ("privacy", m.Role.PRIVACY, "", False),
]
# Models the functioneel beheerder maintains in the admin (configuration, never dossiers).
BEHEER_MODELS = ("municipality", "municipalityyear", "district", "team", "instrument", "user")
BEHEER_APPS = ("indicators", "budget")

# --- Caseload dynamics (per work-readiness group 1, 2, 3) ---------------------------------------

GROUP_SHARE = {1: 0.20, 2: 0.30, 3: 0.50}  # of the open caseload
MEAN_MONTHS = {1: 20.0, 2: 48.0, 3: 160.0}  # mean benefit duration -> ~23% outflow per year
WORK_EXIT = {1: 0.55, 2: 0.35, 3: 0.08}  # share of endings that are for work (~40% overall)
# Status holders (~12% of the open caseload) arrived at most 9 years before the anchor date.
STATUS_HOLDER = {1: 0.08, 2: 0.25, 3: 0.15}
STATUS_HOLDER_MAX_DAYS = 9 * 365
# Income from part-time work (~13% of open households): some have it when the benefit starts
# (no outflow event), others start during the benefit (hazard per year: a partial outflow).
PART_TIME_AT_START = {1: 0.367, 2: 0.075, 3: 0.017}
PART_TIME_HAZARD = {1: 0.055, 2: 0.01, 3: 0.001}
HOURS_INCREASE_HAZARD = 0.04
OUT_OF_VIEW = {1: 0.12, 2: 0.16, 3: 0.32}  # no contact in 12 months (if on benefit > 13 months)
CONTACTS_PER_YEAR = {1: 4.0, 2: 3.0, 3: 1.3}
TRAJECTORIES_PER_YEAR = {1: 0.9, 2: 0.7, 3: 0.45}
REASSESS_DAYS = {1: 182, 2: 365, 3: 548}
AGE_TRIANGLE = {1: (19.0, 64.0, 33.0), 2: (18.5, 66.0, 38.0), 3: (22.0, 66.5, 54.0)}
NON_BENEFIT_APPLICATIONS_PER_INFLOW = 0.4
PENDING_APPLICATIONS_SHARE = 0.012
FRAUD_PER_HOUSEHOLD_YEAR = 0.02
FRAUD_ENDED_SHARE = 0.06
FRAUD_ADJUSTED_SHARE = 0.30
DEBT_PER_HOUSEHOLD_YEAR = 0.04
# Open placements per 2,200 households (DOMAIN.md: nieuw beschut 60 fte, LKS; Wsw a handful).
PLACEMENTS_PER_2200 = {
    "nieuw_beschut": 60,
    "loonkostensubsidie": 110,
    "garantiebaan": 40,
    "wsw_detachering": 5,
    "wsw_begeleid_werken": 3,
}
PLACEMENT_CODES = ("nieuw_beschut", "loonkostensubsidie", "garantiebaan")
WSW_CODES = ("wsw_detachering", "wsw_begeleid_werken")

NON_WORK_REASONS: list[tuple[str, int]] = [
    ("01", 5),
    ("02", 8),
    ("03", 6),
    ("04", 3),
    ("14", 4),
    ("15", 7),
    ("17", 2),
    ("18", 2),
    ("19", 12),
    ("31", 10),
    ("32", 15),
    ("33", 5),
    ("97", 5),
    ("98", 16),
]
FRAUD_END_REASONS = ("19", "31", "98")
# Share of ended benefits whose household returns within 6 / within 6-12 months (by work exit).
RETURN_SHARE = {True: (0.15, 0.08), False: (0.05, 0.03)}
NO_RETURN_REASONS = ("03", "04", "33")

HOUSEHOLD_TYPES: list[tuple[str, int]] = [
    (m.HouseholdType.SINGLE, 55),
    (m.HouseholdType.SINGLE_PARENT, 20),
    (m.HouseholdType.COUPLE, 20),
    (m.HouseholdType.OTHER, 5),
]
# Net monthly benefit at the anchor year, in cents (indexed back 2.5% a year).
MONTHLY_NORM_CENTS = {
    m.HouseholdType.SINGLE: 132_000,
    m.HouseholdType.SINGLE_PARENT: 138_000,
    m.HouseholdType.COUPLE: 188_500,
    m.HouseholdType.OTHER: 102_000,
}
NORM_INDEX_PER_YEAR = 1.025

EDUCATION: list[tuple[str, int]] = [
    (m.EducationLevel.NONE, 11),
    (m.EducationLevel.VSO_PRO, 5),
    (m.EducationLevel.VMBO, 20),
    (m.EducationLevel.MBO1, 8),
    (m.EducationLevel.MBO2, 15),
    (m.EducationLevel.MBO34, 15),
    (m.EducationLevel.HAVO_VWO, 6),
    (m.EducationLevel.HBO_WO, 9),
    (m.EducationLevel.FOREIGN, 8),
    ("", 3),
]
EDUCATION_STATUS_HOLDER: list[tuple[str, int]] = [
    (m.EducationLevel.FOREIGN, 50),
    (m.EducationLevel.NONE, 30),
    (m.EducationLevel.MBO1, 8),
    (m.EducationLevel.MBO2, 6),
    ("", 6),
]
STARTKWALIFICATIE_LEVELS = (
    m.EducationLevel.MBO2,
    m.EducationLevel.MBO34,
    m.EducationLevel.HAVO_VWO,
    m.EducationLevel.HBO_WO,
)
LANGUAGE: list[tuple[str, int]] = [
    (m.LanguageLevel.NATIVE, 72),
    (m.LanguageLevel.B2_PLUS, 12),
    (m.LanguageLevel.B1, 9),
    (m.LanguageLevel.A2, 5),
    ("", 2),
]
LANGUAGE_STATUS_HOLDER: list[tuple[str, int]] = [
    (m.LanguageLevel.BELOW_A1, 10),
    (m.LanguageLevel.A1, 25),
    (m.LanguageLevel.A2, 35),
    (m.LanguageLevel.B1, 25),
    (m.LanguageLevel.B2_PLUS, 5),
]

INSTRUMENTS_BY_GROUP: dict[int, list[tuple[str, int]]] = {
    1: [("jobhunting", 45), ("sollicitatietraining", 35), ("proefplaatsing", 20)],
    2: [
        ("coaching", 30),
        ("scholing", 20),
        ("werkervaringsplaats", 20),
        ("taal_werkvloer", 15),
        ("loonkostensubsidie", 8),
        ("nieuw_beschut", 4),
    ],
    3: [
        ("vrijwilligerswerk", 25),
        ("sociale_activering", 30),
        ("dagbesteding", 15),
        ("participatieplaats", 15),
        ("schuldhulpverlening", 15),
    ],
}
PLANNED_DAYS = {
    "jobhunting": 91,
    "sollicitatietraining": 56,
    "proefplaatsing": 61,
    "coaching": 182,
    "scholing": 274,
    "werkervaringsplaats": 182,
    "taal_werkvloer": 182,
    "loonkostensubsidie": 365,
    "nieuw_beschut": 730,
    "garantiebaan": 730,
    "vrijwilligerswerk": 365,
    "sociale_activering": 182,
    "dagbesteding": 365,
    "participatieplaats": 365,
    "schuldhulpverlening": 548,
    "wsw_detachering": 3650,
    "wsw_begeleid_werken": 3650,
}
PROVIDERS = {
    "jobhunting": ("Werkbedrijf Gooi (demo)", "Jobhunters Hilversum (demo)"),
    "sollicitatietraining": ("Werkbedrijf Gooi (demo)", "Sollicitatiepunt Gooi (demo)"),
    "proefplaatsing": ("Werkgeversservicepunt Gooi (demo)",),
    "coaching": ("Coachpunt Hilversum (demo)", "Stichting Stap Verder (demo)"),
    "scholing": ("ROC Gooi (demo)", "Opleidingscentrum Media Park (demo)"),
    "werkervaringsplaats": ("Kringloop Hilversum (demo)", "Groenbedrijf Gooi (demo)"),
    "taal_werkvloer": ("Taalhuis Hilversum (demo)",),
    "loonkostensubsidie": ("Werkgeversservicepunt Gooi (demo)",),
    "nieuw_beschut": ("Werkbedrijf Gooi (demo)",),
    "garantiebaan": ("Werkgeversservicepunt Gooi (demo)",),
    "vrijwilligerswerk": ("Vrijwilligerscentrale Hilversum (demo)",),
    "sociale_activering": ("Buurtwerk Hilversum (demo)", "Stichting Meedoen Gooi (demo)"),
    "dagbesteding": ("Dagbesteding De Werkplaats (demo)",),
    "participatieplaats": ("Kringloop Hilversum (demo)", "Buurtwerk Hilversum (demo)"),
    "schuldhulpverlening": ("Schuldhulp Gooi en Vecht (demo)",),
    "wsw_detachering": ("Werkbedrijf Gooi (demo)",),
    "wsw_begeleid_werken": ("Werkbedrijf Gooi (demo)",),
}
TRAJECTORY_RESULTS: list[tuple[str, int]] = [
    (m.Trajectory.Result.COMPLETED, 40),
    (m.Trajectory.Result.NOT_ACHIEVED, 25),
    (m.Trajectory.Result.DROPPED_OUT, 22),
    (m.Trajectory.Result.REFERRED, 13),
]

SECTORS = (
    "Zorg en welzijn",
    "Logistiek",
    "Detailhandel",
    "Horeca",
    "Schoonmaak",
    "Bouw",
    "Techniek",
    "Zakelijke dienstverlening",
    "Media en communicatie",
    "Openbaar bestuur",
    "Onderwijs",
    "Groenvoorziening",
)
CONTRACTS: list[tuple[str, int]] = [
    (m.OutflowEvent.ContractType.TEMPORARY, 45),
    (m.OutflowEvent.ContractType.AGENCY, 25),
    (m.OutflowEvent.ContractType.PERMANENT, 17),
    (m.OutflowEvent.ContractType.ON_CALL, 13),
]
CHANNELS: list[tuple[str, int]] = [
    (m.ContactMoment.Channel.FACE_TO_FACE, 45),
    (m.ContactMoment.Channel.PHONE, 30),
    (m.ContactMoment.Channel.WRITTEN, 10),
    (m.ContactMoment.Channel.VIDEO, 8),
    (m.ContactMoment.Channel.HOME_VISIT, 7),
]
CONTACT_SUMMARIES = {
    m.ContactMoment.Channel.FACE_TO_FACE: (
        "Voortgangsgesprek; afspraken uit het plan van aanpak doorgenomen.",
        "Gesprek over werk en wensen; vervolgafspraak gemaakt.",
        "Gesprek over de inzet van een traject.",
        "",
    ),
    m.ContactMoment.Channel.PHONE: (
        "Telefonisch contact over sollicitaties.",
        "Gebeld over de voortgang van het traject.",
        "Afspraak telefonisch verzet.",
        "",
    ),
    m.ContactMoment.Channel.WRITTEN: (
        "Uitnodiging voor gesprek verstuurd.",
        "Brief over de herbeoordeling verstuurd.",
    ),
    m.ContactMoment.Channel.VIDEO: ("Videogesprek over de voortgang.", ""),
    m.ContactMoment.Channel.HOME_VISIT: (
        "Huisbezoek; situatie thuis besproken.",
        "Huisbezoek samen met het wijkteam.",
    ),
}
GROUP_REASONS = {
    1: (
        "Brede intake: direct bemiddelbaar met lichte ondersteuning.",
        "Werkt in deeltijd; met meer uren zelfstandig.",
        "Recente werkervaring; binnen zes maanden aan het werk verwacht.",
        "Herbeoordeling: klaar voor jobhunting en sollicitatietraining.",
    ),
    2: (
        "Nu geen werk; met scholing en coaching binnen twee jaar bemiddelbaar.",
        "Taalniveau nog onvoldoende voor werk; eerst taal op de werkvloer.",
        "Werkervaring nodig; werkervaringsplaats afgesproken.",
        "Herbeoordeling: belastbaarheid verbeterd, werk binnen twee jaar haalbaar.",
    ),
    3: (
        "Beperkte belastbaarheid; nu geen perspectief op werk. Inzet op participatie.",
        "Zorgtaken thuis; jaarlijks contact en vrijwilligerswerk.",
        "Meerdere problemen tegelijk (schulden, wonen); eerst stabiliseren.",
        "Herbeoordeling: blijft in groep 3; sociale activering loopt.",
    ),
}
PREVIOUS_GROUP = {1: (2, 2, 3, 1), 2: (1, 3, 3, 2), 3: (2, 2, 1, 3)}

SIGNAL_SOURCES: list[tuple[str, int]] = [
    (m.FraudInvestigation.SignalSource.INLICHTINGENBUREAU, 45),
    (m.FraudInvestigation.SignalSource.TIP, 20),
    (m.FraudInvestigation.SignalSource.INTERNAL, 20),
    (m.FraudInvestigation.SignalSource.THEMATIC, 15),
]
DEBT_RESULTS: list[tuple[str, int]] = [
    (m.DebtCase.Result.SETTLED, 35),
    (m.DebtCase.Result.STABILISED, 30),
    (m.DebtCase.Result.NO_SETTLEMENT, 15),
    (m.DebtCase.Result.WITHDRAWN, 20),
]

STATUS_HOLDER_FIRST_M = (
    "Mohammed", "Ahmad", "Omar", "Yusuf", "Ali", "Hassan", "Yonas", "Tesfay", "Mustafa",
    "Abdullah", "Samir", "Khaled", "Dawit", "Rahim", "Bilal", "Ibrahim", "Feras", "Amanuel",
)  # fmt: skip
STATUS_HOLDER_FIRST_F = (
    "Fatima", "Amina", "Hiwet", "Selam", "Rania", "Nour", "Layla", "Mariam", "Aisha",
    "Senait", "Zahra", "Huda", "Ruta", "Samira", "Yasmin", "Saba", "Dina", "Helen",
)  # fmt: skip
STATUS_HOLDER_LAST = (
    "Al-Hassan", "Haddad", "Tesfay", "Kidane", "Ahmadi", "Rahimi", "Hussein", "Mahmoud",
    "Al-Khatib", "Ghebremedhin", "Berhane", "Haile", "Karimi", "Sultani", "Darwish",
    "Al-Ali", "Omar", "Mohammadi", "Yohannes", "Nasser", "Saleh", "Habte", "Ibrahim",
)  # fmt: skip
NAME_PREFIXES = ("van", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t", "op", "la")

NULL = "\\N"


# --- Small helpers ------------------------------------------------------------------------------


def _cum(weights: Sequence[tuple[object, int | float]]) -> tuple[list, list[float]]:
    values = [v for v, _ in weights]
    total = 0.0
    cum = []
    for _, w in weights:
        total += w
        cum.append(total)
    return values, cum


def _esc(value: str) -> str:
    """Escape text for PostgreSQL COPY text format."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _bool(value: bool | None) -> str:
    if value is None:
        return NULL
    return "t" if value else "f"


def _add_months(ordinal: int, months: int) -> int:
    """``date + interval 'n months'`` as PostgreSQL computes it (clamped to the month end)."""
    d = date.fromordinal(ordinal)
    y, mo = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, mo + 1
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (nxt - date(year, month, 1)).days
    return date(year, month, min(d.day, last_day)).toordinal()


def _split_last_name(full: str) -> tuple[str, str]:
    """'van der Ploeg' -> ('van der', 'Ploeg')."""
    parts = full.split(" ")
    i = 0
    while i < len(parts) - 1 and parts[i] in NAME_PREFIXES:
        i += 1
    return " ".join(parts[:i]), " ".join(parts[i:])


class _Table:
    """Rows of one table for the current chunk, in COPY text format, with ids allocated here."""

    def __init__(self, model: type, columns: Sequence[str]) -> None:
        self.model = model
        self.name = model._meta.db_table
        self.columns = ", ".join(f'"{c}"' for c in ("id", *columns))
        self.next_id = 1
        self.count = 0
        self.rows: list[str] = []

    def add(self, *values: str | int) -> int:
        pk = self.next_id
        self.next_id += 1
        self.rows.append(f"{pk}\t" + "\t".join(map(str, values)) + "\n")
        return pk

    def take(self) -> tuple[str, list[str]]:
        """The COPY statement and the rows of this chunk; the table starts a new chunk."""
        rows, self.rows = self.rows, []
        self.count += len(rows)
        return f"COPY {self.name} ({self.columns}) FROM STDIN", rows


def _copy_chunk(cursor, batches: list[tuple[str, list[str]]]) -> None:
    """Write one chunk with COPY, table by table (runs in the writer thread)."""
    step = 50_000
    for statement, rows in batches:
        if not rows:
            continue
        with cursor.copy(statement) as copy:
            for i in range(0, len(rows), step):
                copy.write("".join(rows[i : i + step]))


@dataclass(slots=True)
class _Plan:
    """The skeleton of one household, drawn before any row is written."""

    kind: str  # "open", "ended", "application" (no benefit) or "pending" (application)
    group: int = 0
    start: int = 0  # ordinal: benefit start, or application received
    end: int = 0  # ordinal: benefit end; 0 while open
    end_reason: str = ""
    regime: str = m.Regime.ALGEMENE_BIJSTAND
    birth: int = 0
    status_holder: bool = False
    team: str = ""
    household_type: str = m.HouseholdType.SINGLE
    children: int = 0
    partner_birth: int = 0  # 0: no partner
    partner_group: int = 0
    consulent: int | None = None
    part_time_from: int = 0
    part_time_event: bool = False  # the part-time work started during the benefit
    hours_increase_on: int = 0
    placement: str = ""
    out_of_view: bool = False
    fraud_end: bool = False
    outcome: str = ""
    next: _Plan | None = None  # the same household's next benefit (a return after outflow)
    is_return: bool = False  # generated together with the benefit it follows


@dataclass(slots=True)
class _Person:
    """Per-resident state shared by the journey generators."""

    id: int
    group: int
    start: int
    last: int  # benefit end, or today when open
    is_open: bool
    by: int  # user who records things for this resident
    out_of_view: bool
    status_holder: bool
    work_exit: bool


# --- The generator ------------------------------------------------------------------------------


class _Generator:
    def __init__(
        self,
        *,
        households: int,
        seed: int,
        today: date,
        years: int,
        password: str,
        log: Callable[[str], None],
    ) -> None:
        if households < 1:
            raise ValueError("households must be at least 1")
        if years < 1:
            raise ValueError("years must be at least 1")
        self.n = households
        self.rng = random.Random(seed)
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed)
        self.today_date = today
        self.today = today.toordinal()
        self.window_start_date = date(today.year - years, 1, 1)
        self.ws = self.window_start_date.toordinal()
        self.password = password
        self.log = log
        self.bsns: set[str] = set()
        self._iso: dict[int, str] = {}
        self._months()
        self._tables()
        self.counts: dict[str, int] = {}

    # ---- dates

    def iso(self, ordinal: int) -> str:
        s = self._iso.get(ordinal)
        if s is None:
            s = date.fromordinal(ordinal).isoformat()
            self._iso[ordinal] = s
        return s

    def _months(self) -> None:
        """Month table of the window: index -> (first-day ordinal, iso, days, year)."""
        self.months: list[tuple[int, str, int, int]] = []
        y, mo = self.window_start_date.year, 1
        while (y, mo) <= (self.today_date.year, self.today_date.month):
            first = date(y, mo, 1)
            nxt = date(y + (mo == 12), mo % 12 + 1, 1)
            self.months.append((first.toordinal(), first.isoformat(), (nxt - first).days, y))
            y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)

    def month_index(self, ordinal: int) -> int:
        d = date.fromordinal(ordinal)
        return (d.year - self.window_start_date.year) * 12 + d.month - 1

    def years_between(self, a: int, b: int) -> float:
        return (b - a) / DAYS_PER_YEAR

    # ---- tables

    def _tables(self) -> None:
        self.t_household = _Table(
            m.Household,
            (
                "municipality_id",
                "household_type",
                "street",
                "house_number",
                "postcode",
                "city",
                "district_id",
                "children_count",
            ),
        )
        self.t_resident = _Table(
            m.Resident,
            (
                "municipality_id",
                "bsn",
                "is_fake",
                "first_name",
                "name_prefix",
                "last_name",
                "birth_date",
                "household_id",
                "household_role",
                "education_level",
                "has_startkwalificatie",
                "is_status_holder",
                "in_doelgroepregister",
                "language_level",
                "team_id",
                "consulent_id",
                "registered_at",
            ),
        )
        self.t_benefit = _Table(
            m.Benefit,
            ("household_id", "applicant_id", "regime", "start_date", "end_date", "end_reason"),
        )
        self.t_application = _Table(
            m.Application,
            (
                "resident_id",
                "regime",
                "received_on",
                "risk_profile",
                "prevention_route",
                "outcome",
                "decided_on",
                "benefit_id",
            ),
        )
        self.t_payment = _Table(
            m.BenefitPayment, ("benefit_id", "month", "amount_paid", "income_offset")
        )
        self.t_group = _Table(
            m.GroupAssignment,
            (
                "resident_id",
                "group",
                "decided_on",
                "reason",
                "decided_by_id",
                "reassess_on",
                "ended_on",
            ),
        )
        self.t_trajectory = _Table(
            m.Trajectory,
            (
                "resident_id",
                "instrument_id",
                "provider",
                "started_on",
                "planned_end_on",
                "ended_on",
                "result",
                "cost",
                "created_by_id",
            ),
        )
        self.t_outflow = _Table(
            m.OutflowEvent,
            (
                "resident_id",
                "benefit_id",
                "kind",
                "reason",
                "occurred_on",
                "is_hours_increase",
                "hours_per_week",
                "employer",
                "sector",
                "contract_type",
                "is_subsidised",
                "still_off_benefit_6m",
                "still_off_benefit_12m",
                "recorded_by_id",
                "recorded_at",
            ),
        )
        self.t_contact = _Table(
            m.ContactMoment, ("resident_id", "occurred_on", "channel", "by_id", "summary")
        )
        self.t_ladder = _Table(m.LadderScore, ("resident_id", "measured_on", "step", "by_id"))
        self.t_fraud = _Table(
            m.FraudInvestigation,
            ("resident_id", "started_on", "signal_source", "ended_on", "result", "claim_amount"),
        )
        self.t_debt = _Table(
            m.DebtCase, ("resident_id", "applied_on", "total_debt", "closed_on", "result")
        )
        # COPY order follows the foreign keys.
        self.tables = [
            self.t_household,
            self.t_resident,
            self.t_benefit,
            self.t_application,
            self.t_payment,
            self.t_group,
            self.t_trajectory,
            self.t_outflow,
            self.t_contact,
            self.t_ladder,
            self.t_fraud,
            self.t_debt,
        ]

    # ---- random helpers

    def pick(self, table: tuple[list, list[float]]):
        """A value drawn with the table's weights (``random.choices`` without its overhead)."""
        values, cum = table
        return values[bisect(cum, self.rng.random() * cum[-1])]

    def poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        threshold = math.exp(-lam)
        k, p = 0, self.rng.random()
        while p > threshold:
            k += 1
            p *= self.rng.random()
        return k

    def age_years(self, group: int, status_holder: bool) -> float:
        if status_holder:
            return self.rng.triangular(19.0, 60.0, 31.0)
        low, high, mode = AGE_TRIANGLE[group]
        return self.rng.triangular(low, high, mode)

    def fake_bsn(self) -> str:
        while True:
            bsn = generate_fake_bsn(self.rng)
            if bsn not in self.bsns:
                self.bsns.add(bsn)
                return bsn

    # ---- entry point

    def run(self) -> dict[str, int]:
        t0 = time.monotonic()
        self._prepare_lookups()
        with transaction.atomic(), connection.cursor() as cursor:
            # Check foreign keys per COPY statement: keeps the pending-trigger queue per chunk.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self._organisation()
            plans = self._plan()
            self._staff(plans)
            self._allocate_ids(cursor)
            # COPY of chunk k runs in a writer thread (psycopg waits without the GIL) while this
            # thread generates chunk k+1; only the writer touches the connection meanwhile.
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            total = len(plans)
            with ThreadPoolExecutor(max_workers=1) as writer:
                pending: Future | None = None
                for i in range(0, total, CHUNK_SIZE):
                    for plan in plans[i : i + CHUNK_SIZE]:
                        self._household(plan)
                    batches = [table.take() for table in self.tables]
                    if pending is not None:
                        pending.result()
                    pending = writer.submit(_copy_chunk, raw, batches)
                    done = min(i + CHUNK_SIZE, total)
                    if done == total or (i // CHUNK_SIZE) % 5 == 4:
                        self.log(
                            f"  {done}/{total} uitkeringen en aanvragen ({time.monotonic() - t0:.0f} s)"
                        )
                if pending is not None:
                    pending.result()
            self._reset_sequences(cursor)
        for table in self.tables:
            self.counts[table.name] = table.count
        return self.counts

    def _prepare_lookups(self) -> None:
        self.c_group = _cum([(1, GROUP_SHARE[1]), (2, GROUP_SHARE[2]), (3, GROUP_SHARE[3])])
        self.c_nonwork = _cum(NON_WORK_REASONS)
        self.c_household = _cum(HOUSEHOLD_TYPES)
        self.c_district = _cum([(i, w) for i, (_, _, _, w) in enumerate(DISTRICTS)])
        self.c_education = _cum(EDUCATION)
        self.c_education_sh = _cum(EDUCATION_STATUS_HOLDER)
        self.c_language = _cum(LANGUAGE)
        self.c_language_sh = _cum(LANGUAGE_STATUS_HOLDER)
        self.c_instruments = {g: _cum(v) for g, v in INSTRUMENTS_BY_GROUP.items()}
        self.c_instruments_sh = _cum(
            [(c, w * 3 if c == "taal_werkvloer" else w) for c, w in INSTRUMENTS_BY_GROUP[2]]
        )
        self.c_results = _cum(TRAJECTORY_RESULTS)
        self.c_contracts = _cum(CONTRACTS)
        self.c_channels = _cum(CHANNELS)
        self.c_signal = _cum(SIGNAL_SOURCES)
        self.c_debt = _cum(DEBT_RESULTS)
        _ensure_instruments()
        by_code = dict(m.Instrument.objects.values_list("code", "id"))
        self.instrument_id = by_code
        self.instrument_cost = {
            code: int(cost * 100)
            for code, cost in m.Instrument.objects.values_list("code", "default_cost")
        }

    # ---- organisation (ORM; small tables)

    def _organisation(self) -> None:
        mun = m.Municipality.objects.create(name=MUNICIPALITY_NAME, cbs_code=MUNICIPALITY_CODE)
        self.municipality_id = mun.pk
        years = []
        for year in range(self.window_start_date.year, self.today_date.year + 1):
            population = 90_500 + 350 * (year - 2020)
            cost = Decimal(14_400 * NORM_INDEX_PER_YEAR ** (year - 2018)).quantize(Decimal("0.01"))
            years.append(
                m.MunicipalityYear(
                    municipality=mun,
                    year=year,
                    population=population,
                    population_18_plus=round(population * 0.795),
                    population_15_64=round(population * 0.636),
                    population_15_74=round(population * 0.738),
                    average_benefit_cost=cost,
                )
            )
        m.MunicipalityYear.objects.bulk_create(years)
        self.districts: list[tuple[int, tuple[int, ...], list[str]]] = []
        for name, code, postcodes, _ in DISTRICTS:
            district = m.District.objects.create(municipality=mun, name=name, code=code)
            streets = [self.fake.street_name() for _ in range(30)]
            self.districts.append((district.pk, postcodes, streets))
        self.teams: dict[str, int] = {}
        for kind, name, _ in TEAMS:
            self.teams[kind] = m.Team.objects.create(municipality=mun, name=name, kind=kind).pk

    # ---- plans

    def _plan(self) -> list[_Plan]:
        rng = self.rng
        n = self.n
        plans: list[_Plan] = [self._plan_open() for _ in range(n)]
        open_plans = list(plans)

        window_months = (self.today - self.ws) / DAYS_PER_MONTH
        window_years = (self.today - self.ws) / DAYS_PER_YEAR
        inflow_per_year = 0.0
        for g in (1, 2, 3):
            per_month = n * GROUP_SHARE[g] / MEAN_MONTHS[g]
            inflow_per_year += per_month * 12
            for _ in range(round(per_month * window_months)):
                plans.append(self._plan_ended(g))

        # Fraud investigations that ended a benefit (~6% of investigations).
        candidates = [p for p in plans if p.kind == "ended" and p.end_reason in FRAUD_END_REASONS]
        target = FRAUD_ENDED_SHARE * FRAUD_PER_HOUSEHOLD_YEAR * n * window_years
        p_fraud = min(1.0, target / len(candidates)) if candidates else 0.0
        for p in candidates:
            p.fraud_end = rng.random() < p_fraud

        for _ in range(round(NON_BENEFIT_APPLICATIONS_PER_INFLOW * inflow_per_year * window_years)):
            plans.append(
                self._plan_application(rng.randint(self.ws, self.today - 60), pending=False)
            )
        for _ in range(max(1, round(n * PENDING_APPLICATIONS_SHARE))):
            plans.append(
                self._plan_application(rng.randint(self.today - 27, self.today), pending=True)
            )

        self._plan_returns(plans)
        self._plan_placements(open_plans)
        rng.shuffle(plans)
        return plans

    def _plan_returns(self, plans: list[_Plan]) -> None:
        """Link some ended benefits to a later benefit of the same household (a return).

        The later benefit is one of the planned ones that starts about the chosen gap after the
        end, so the caseload and the inflow stay as planned; it takes over the person.
        """
        rng = self.rng
        later = sorted(
            (p.start, i)
            for i, p in enumerate(plans)
            if p.kind in ("open", "ended") and p.start >= self.ws + 31
        )
        starts = [start for start, _ in later]
        used = [False] * len(later)
        for p in plans:
            if p.kind != "ended" or p.end_reason in NO_RETURN_REASONS or p.end > self.today - 45:
                continue
            within_6, within_12 = RETURN_SHARE[p.end_reason in m.WORK_END_REASONS]
            r = rng.random()
            if r < within_6:
                gap = rng.randint(31, 182)
            elif r < within_6 + within_12:
                gap = rng.randint(183, 365)
            else:
                continue
            target = p.end + gap
            j = bisect_left(starts, target)
            while j < len(later) and used[j]:
                j += 1
            if j == len(later) or starts[j] > target + 30:
                continue
            q = plans[later[j][1]]
            reference = q.end or self.today
            if (
                q.is_return
                or q.next is not None
                or q.end_reason == "03"
                or reference - p.birth > MAX_AGE * DAYS_PER_YEAR
            ):
                continue
            used[j] = True
            p.next = q
            q.is_return = True
            q.birth = p.birth
            q.status_holder = p.status_holder
            q.household_type = p.household_type
            q.children = p.children
            q.partner_birth = p.partner_birth
            if not q.partner_birth:
                q.partner_group = 0
            elif not q.partner_group:
                q.partner_group = q.group
            q.team = self._team(q.group, (reference - q.birth) / DAYS_PER_YEAR, q.status_holder)

    def _household_shape(self, p: _Plan, reference: int) -> None:
        """Household type, children and partner, given the applicant's birth date."""
        rng = self.rng
        p.household_type = self.pick(self.c_household)
        if p.household_type == m.HouseholdType.SINGLE_PARENT:
            p.children = rng.choices((1, 2, 3, 4), cum_weights=(45, 80, 95, 100))[0]
        elif p.household_type == m.HouseholdType.COUPLE:
            p.children = 0 if rng.random() < 0.5 else rng.choices((1, 2, 3, 4), (40, 35, 17, 8))[0]
            birth = p.birth + rng.randint(-6 * 365, 6 * 365)
            # partner is 18..66 at the reference date
            birth = min(
                max(birth, reference - int(66.5 * DAYS_PER_YEAR)), reference - ADULT_DAYS - 30
            )
            p.partner_birth = birth
            p.partner_group = p.group if rng.random() < 0.7 else self.pick(self.c_group)

    def _team(self, group: int, age: float, status_holder: bool) -> str:
        if status_holder:
            return TeamKind.STATUS_HOLDERS
        if age < 27:
            return TeamKind.YOUTH
        if group == 1:
            return TeamKind.POORT if self.rng.random() < 0.4 else TeamKind.WORK
        return TeamKind.WORK if group == 2 else TeamKind.INCOME

    def _duration(self, g: int, *, minimum: int = 0) -> int:
        """A benefit duration in days (exponential per group, at most 48 years)."""
        mean = MEAN_MONTHS[g] * DAYS_PER_MONTH - minimum
        while True:
            days = minimum + int(self.rng.expovariate(1 / mean))
            if days <= MAX_BENEFIT_DAYS:
                return days

    def _age_for(self, g: int, sh: bool, duration: int) -> float:
        """Age (years) at the end of a benefit that lasted ``duration`` days: adult at its start."""
        age = self.age_years(g, sh)
        minimum = 18 + duration / DAYS_PER_YEAR + 0.2
        if age < minimum:
            age = self.rng.uniform(minimum, max(minimum, MAX_AGE))
        return age

    def _regime(self, p: _Plan, age: float) -> None:
        rng = self.rng
        if age >= 60 and not p.status_holder:
            p.regime = rng.choices(("ioaw", "ioaz", "pw"), cum_weights=(25, 30, 100))[0]
        elif p.group == 1 and rng.random() < 0.06:
            p.regime = m.Regime.BBZ_STARTER

    def _part_time(self, p: _Plan, last: int) -> None:
        """Income from part-time work: from the start (no outflow event), or starting during the
        benefit (a partial outflow); later perhaps more hours (another partial outflow)."""
        rng = self.rng
        g = p.group
        if rng.random() < PART_TIME_AT_START[g]:
            p.part_time_from = p.start
        else:
            day = p.start + 1 + int(rng.expovariate(PART_TIME_HAZARD[g] / DAYS_PER_YEAR))
            if day < last:
                p.part_time_from = day
                p.part_time_event = True
        if p.part_time_from:
            day = (
                p.part_time_from + 60 + int(rng.expovariate(HOURS_INCREASE_HAZARD / DAYS_PER_YEAR))
            )
            if day < last:
                p.hours_increase_on = day

    def _plan_open(self) -> _Plan:
        rng = self.rng
        today = self.today
        g = self.pick(self.c_group)
        elapsed = self._duration(g)
        sh = elapsed <= STATUS_HOLDER_MAX_DAYS and rng.random() < STATUS_HOLDER[g]
        age = self._age_for(g, sh, elapsed)
        birth = today - int(age * DAYS_PER_YEAR)
        p = _Plan(kind="open", group=g, start=today - elapsed, birth=birth, status_holder=sh)
        p.team = self._team(g, age, sh)
        self._regime(p, age)
        self._household_shape(p, today)
        self._part_time(p, today)
        if p.start < today - 400:
            p.out_of_view = rng.random() < OUT_OF_VIEW[g]
        return p

    def _plan_ended(self, g: int) -> _Plan:
        rng = self.rng
        end = rng.randint(self.ws, self.today - 1)
        duration = self._duration(g, minimum=30)
        sh = duration <= STATUS_HOLDER_MAX_DAYS and rng.random() < STATUS_HOLDER[g]
        work = rng.random() < WORK_EXIT[g]
        reason = m.CbsEndReason.EMPLOYMENT if work else self.pick(self.c_nonwork)
        if reason == "03":
            age = AOW_YEARS + rng.random() * 0.2
        elif reason == "01":
            age = rng.triangular(18.5, 30.0, 21.0)
        else:
            age = self._age_for(g, sh, duration)
        birth = end - int(age * DAYS_PER_YEAR)
        max_duration = end - (birth + ADULT_DAYS)
        if duration > max_duration:
            duration = rng.randint(min(30, max_duration), max_duration)
        p = _Plan(
            kind="ended", group=g, start=end - duration, end=end, birth=birth, status_holder=sh
        )
        p.team = self._team(g, age, sh)
        self._regime(p, age)
        if work and rng.random() < (0.8 if p.regime == m.Regime.BBZ_STARTER else 0.08):
            reason = m.CbsEndReason.SELF_EMPLOYMENT
        p.end_reason = reason
        self._household_shape(p, end)
        self._part_time(p, end)
        return p

    def _plan_application(self, received: int, *, pending: bool) -> _Plan:
        rng = self.rng
        sh = rng.random() < 0.08
        age = self.age_years(1, sh)
        birth = received - int(age * DAYS_PER_YEAR)
        p = _Plan(kind="pending" if pending else "application", start=received, birth=birth)
        p.status_holder = sh
        p.team = TeamKind.STATUS_HOLDERS if sh else TeamKind.YOUTH if age < 27 else TeamKind.POORT
        self._household_shape(p, received)
        p.group = 1
        if pending:
            p.outcome = m.Application.Outcome.PENDING
        else:
            p.outcome = rng.choices(
                (
                    m.Application.Outcome.REJECTED,
                    m.Application.Outcome.WITHDRAWN,
                    m.Application.Outcome.PREVENTED,
                ),
                cum_weights=(40, 70, 100),
            )[0]
        return p

    def _plan_placements(self, open_plans: list[_Plan]) -> None:
        rng = self.rng
        scale = self.n / 2200
        group2 = [p for p in open_plans if p.group == 2]
        wanted = [(code, round(PLACEMENTS_PER_2200[code] * scale)) for code in PLACEMENT_CODES]
        chosen = rng.sample(group2, min(len(group2), sum(k for _, k in wanted)))
        i = 0
        for code, k in wanted:
            for p in chosen[i : i + k]:
                p.placement = code
                if code == "loonkostensubsidie" and rng.random() < 0.2:
                    p.regime = m.Regime.LOONKOSTENSUBSIDIE
            i += k
        before_2015 = date(2015, 1, 1).toordinal()
        old = [
            p for p in open_plans if p.group in (2, 3) and not p.placement and p.start < before_2015
        ]
        wanted = [(code, round(PLACEMENTS_PER_2200[code] * scale)) for code in WSW_CODES]
        chosen = rng.sample(old, min(len(old), sum(k for _, k in wanted)))
        i = 0
        for code, k in wanted:
            for p in chosen[i : i + k]:
                p.placement = code
            i += k

    # ---- staff

    def _staff(self, plans: list[_Plan]) -> None:
        caseload: dict[str, int] = {kind: 0 for kind, _, _ in TEAMS}
        for p in plans:
            if p.kind == "open":
                caseload[p.team] += 2 if p.partner_birth else 1
        password = make_password(self.password)
        users: list[m.User] = []
        fake = self.fake

        def user(username: str, role: str, team: str, is_staff: bool = False) -> m.User:
            first = fake.first_name()
            prefix, last = _split_last_name(fake.last_name())
            u = m.User(
                username=username,
                first_name=first,
                last_name=f"{prefix} {last}".strip(),
                email=f"{username}@hilversum-demo.example",
                password=password,
                role=role,
                team_id=self.teams[team] if team else None,
                is_staff=is_staff,
            )
            users.append(u)
            return u

        demo = {name: user(name, role, team, staff) for name, role, team, staff in DEMO_USERS}
        consulent_users: dict[str, list[m.User]] = {}
        for kind, _, slug in TEAMS:
            if kind == TeamKind.ENFORCEMENT:
                count = max(2, round(self.n / 500))
            else:
                count = max(1, round(caseload[kind] / RESIDENTS_PER_CONSULENT))
            members: list[m.User] = []
            if kind == TeamKind.WORK:
                members.append(demo["consulent"])
            else:
                user(f"teamleider-{slug}", m.Role.TEAMLEIDER, kind)
            while len(members) < count:
                members.append(user(f"{slug}{len(members) + 1:03d}", m.Role.CONSULENT, kind))
            consulent_users[kind] = members
        m.User.objects.bulk_create(users)
        beheer_perms = Permission.objects.filter(
            content_type__app_label="caseload", content_type__model__in=BEHEER_MODELS
        ) | Permission.objects.filter(content_type__app_label__in=BEHEER_APPS)
        demo["beheer"].user_permissions.set(beheer_perms)
        self.staff_count = len(users)
        self.consulents = {kind: [u.pk for u in us] for kind, us in consulent_users.items()}
        counters = dict.fromkeys(self.consulents, 0)
        for p in plans:
            if p.kind == "open":
                ids = self.consulents[p.team]
                p.consulent = ids[counters[p.team] % len(ids)]
                counters[p.team] += 1

    def _allocate_ids(self, cursor) -> None:
        for table in self.tables:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table.name}"')  # noqa: S608
            table.next_id = cursor.fetchone()[0] + 1

    def _reset_sequences(self, cursor) -> None:
        for table in self.tables:
            sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"  # noqa: S608
            cursor.execute(sql, [table.name])

    # ---- rows per household

    def _address(self, p: _Plan) -> int:
        rng = self.rng
        district_id, postcodes, streets = self.districts[self.pick(self.c_district)]
        number = str(rng.randint(1, 220))
        r = rng.random()
        if r < 0.08:
            number += rng.choice("ABC")
        elif r < 0.14:
            number += f"-{rng.randint(1, 4)}"
        letters = rng.choice("ABCDEGHJKLMNPRSTVWXZ") + rng.choice("ABCDEGHJKLMNPRSTVWXZ")
        postcode = f"{rng.choice(postcodes)} {letters}"
        return self.t_household.add(
            self.municipality_id,
            p.household_type,
            _esc(rng.choice(streets)),
            number,
            postcode,
            CITY,
            district_id,
            p.children,
        )

    def _resident(
        self,
        p: _Plan,
        current: _Plan,
        household_id: int,
        *,
        role: str,
        birth: int,
        female: bool,
        last_name: tuple[str, str] | None,
        registered: int,
        doelgroep: bool,
    ) -> tuple[int, tuple[str, str]]:
        rng = self.rng
        sh = p.status_holder
        if sh:
            first = rng.choice(STATUS_HOLDER_FIRST_F if female else STATUS_HOLDER_FIRST_M)
            name = last_name or ("", rng.choice(STATUS_HOLDER_LAST))
            education = self.pick(self.c_education_sh)
            language = self.pick(self.c_language_sh)
        else:
            first = self.fake.first_name_female() if female else self.fake.first_name_male()
            name = last_name or _split_last_name(self.fake.last_name())
            education = self.pick(self.c_education)
            language = self.pick(self.c_language)
        startkwalificatie = education in STARTKWALIFICATIE_LEVELS and rng.random() < 0.9
        consulent = current.consulent if current.kind == "open" else None
        rid = self.t_resident.add(
            self.municipality_id,
            self.fake_bsn(),
            "t",
            _esc(first),
            _esc(name[0]),
            _esc(name[1]),
            self.iso(birth),
            household_id,
            role,
            education,
            _bool(startkwalificatie),
            _bool(sh),
            _bool(doelgroep or rng.random() < 0.005),
            language,
            self.teams[current.team],
            NULL if consulent is None else consulent,
            f"{self.iso(registered)} 08:30:00+00",
        )
        return rid, name

    def _household(self, p: _Plan) -> None:
        """One household: address and residents, then each of its benefits in turn."""
        if p.is_return:
            return  # written with the benefit it follows
        rng = self.rng
        current = p
        while current.next is not None:
            current = current.next
        hh = self._address(p)
        female = rng.random() < (0.85 if p.household_type == m.HouseholdType.SINGLE_PARENT else 0.5)
        if p.kind in ("application", "pending"):
            registered = p.start
        else:
            registered = p.start - rng.randint(14, 42)  # application received
        doelgroep = current.placement in ("nieuw_beschut", "garantiebaan", *WSW_CODES) or (
            current.placement == "loonkostensubsidie" and rng.random() < 0.2
        )
        applicant, name = self._resident(
            p,
            current,
            hh,
            role=m.HouseholdRole.APPLICANT,
            birth=p.birth,
            female=female,
            last_name=None,
            registered=registered,
            doelgroep=doelgroep,
        )
        partner = 0
        if p.partner_birth:
            shared = name if rng.random() < 0.3 else None
            partner, _ = self._resident(
                p,
                current,
                hh,
                role=m.HouseholdRole.PARTNER,
                birth=p.partner_birth,
                female=not female if rng.random() < 0.95 else female,
                last_name=shared,
                registered=registered,
                doelgroep=False,
            )
        if p.kind in ("application", "pending"):
            self._application_only(p, applicant)
            return
        episode: _Plan | None = p
        while episode is not None:
            self._benefit(episode, hh, applicant, partner, registered)
            previous, episode = episode, episode.next
            if episode is not None:
                registered = max(previous.end + 1, episode.start - rng.randint(14, 42))

    def _benefit(self, p: _Plan, hh: int, applicant: int, partner: int, registered: int) -> None:
        """One benefit of the household with everything that happened during it."""
        rng = self.rng
        benefit = self.t_benefit.add(
            hh,
            applicant,
            p.regime,
            self.iso(p.start),
            self.iso(p.end) if p.end else NULL,
            p.end_reason,
        )
        decided = min(registered + rng.randint(10, 50), max(self.today, registered))
        self.t_application.add(
            applicant,
            p.regime,
            self.iso(registered),
            m.Application.RiskProfile.RAISED if rng.random() < 0.15 else "normaal",
            m.Application.PreventionRoute.WW_COACHING if rng.random() < 0.1 else "geen",
            m.Application.Outcome.GRANTED,
            self.iso(decided),
            benefit,
        )
        self._payments(p, benefit)

        is_open = p.kind == "open"
        last = self.today if is_open else p.end
        by = p.consulent if is_open else rng.choice(self.consulents[p.team])
        work_exit = p.end_reason in m.WORK_END_REASONS
        people = [
            _Person(
                applicant,
                p.group,
                p.start,
                last,
                is_open,
                by,
                p.out_of_view,
                p.status_holder,
                work_exit,
            )
        ]
        if partner:
            people.append(
                _Person(
                    partner,
                    p.partner_group,
                    p.start,
                    last,
                    is_open,
                    by,
                    p.out_of_view,
                    p.status_holder,
                    work_exit,
                )
            )
        for person in people:
            history = self._groups(person)
            self._trajectories(person, history, p.placement if person.id == applicant else "")
            self._contacts(person)
            self._ladder(person, history)
        self._outflows(p, benefit, people, by)
        self._fraud_and_debt(p, applicant, last)

    def _application_only(self, p: _Plan, resident: int) -> None:
        rng = self.rng
        raised = rng.random() < 0.3
        if p.outcome == m.Application.Outcome.PREVENTED:
            route = rng.choices(
                ("ww_coaching", "work_first", "voorliggend"), cum_weights=(45, 80, 100)
            )[0]
        elif p.outcome == m.Application.Outcome.PENDING:
            route = "geen"
        else:
            route = "ww_coaching" if rng.random() < 0.15 else "geen"
        decided = NULL
        if p.outcome != m.Application.Outcome.PENDING:
            decided = self.iso(min(p.start + rng.randint(5, 56), self.today))
        self.t_application.add(
            resident,
            m.Regime.ALGEMENE_BIJSTAND,
            self.iso(p.start),
            "verhoogd" if raised else "normaal",
            route,
            p.outcome,
            decided,
            NULL,
        )
        if p.outcome != m.Application.Outcome.PENDING or rng.random() < 0.5:
            self.t_contact.add(
                resident,
                self.iso(min(p.start + rng.randint(0, 7), self.today)),
                m.ContactMoment.Channel.FACE_TO_FACE,
                rng.choice(self.consulents[TeamKind.POORT]),
                "Gesprek over de melding en de mogelijkheden voor werk.",
            )

    def _payments(self, p: _Plan, benefit: int) -> None:
        rng = self.rng
        months = self.months
        first_i = max(0, self.month_index(p.start))
        last_i = self.month_index(p.end) if p.end else len(months) - 1
        norm = MONTHLY_NORM_CENTS[p.household_type] * rng.uniform(0.9, 1.0)
        if p.regime == m.Regime.LOONKOSTENSUBSIDIE:
            norm *= 0.8
        pt_i = self.month_index(p.part_time_from) if p.part_time_from else 10**6
        hi_i = self.month_index(p.hours_increase_on) if p.hours_increase_on else 10**6
        offset_base = rng.randint(25_000, 85_000)
        anchor_year = self.today_date.year
        end_day = date.fromordinal(p.end).day if p.end else 0
        start_day = date.fromordinal(p.start).day
        table = self.t_payment
        rows = table.rows
        pk = table.next_id
        cache: dict[tuple[int, int], str] = {}  # (year, part-time state) -> amount and offset
        for i in range(first_i, last_i + 1):
            first, iso, days, year = months[i]
            state = 0 if i < pt_i else 1 if i < hi_i else 2
            part_from = start_day if first <= p.start < first + days else 1
            part_to = end_day if p.end and i == last_i else days
            whole = part_from == 1 and part_to == days
            money = cache.get((year, state)) if whole else None
            if money is None:
                full = int(norm * NORM_INDEX_PER_YEAR ** (year - anchor_year))
                offset = 0
                if state:
                    offset = min(offset_base * (state + 1) // 2, full * 3 // 4)
                amount = full - offset
                if whole:
                    money = f"{_money(amount)}\t{_money(offset)}"
                    cache[(year, state)] = money
                else:  # pro rata in the first and last month
                    share = (part_to - part_from + 1) / days
                    money = f"{_money(int(amount * share))}\t{_money(int(offset * share))}"
            rows.append(f"{pk}\t{benefit}\t{iso}\t{money}\n")
            pk += 1
        table.next_id = pk

    # ---- per-person journey

    def _groups(self, person: _Person) -> list[tuple[int, int]]:
        rng = self.rng
        s, last = person.start, person.last
        d1 = s + rng.randint(14, 42)
        earliest = self.ws - rng.randint(0, 730)
        d1 = max(d1, earliest)
        if d1 > last:
            d1 = s + (last - s) // 2
        if person.is_open:
            # Reassessed on time mostly: the current decision is at most ~1.15 periods old.
            recent = max(d1, self.today - rng.randint(0, int(REASSESS_DAYS[person.group] * 1.15)))
            if recent - d1 < 120:
                dates = [d1]
            else:
                n = 3 if recent - d1 >= 240 and rng.random() < 0.4 else 2
                dates = [d1, *sorted(rng.sample(range(d1 + 60, recent - 59), n - 2)), recent]
        else:
            n = rng.choices((1, 2, 3), cum_weights=(50, 85, 100))[0]
            span = last - d1
            if span < 120:
                n = 1
            elif span < 240:
                n = min(n, 2)
            dates = [d1, *sorted(rng.sample(range(d1 + 60, last + 1), n - 1))]
        n = len(dates)
        groups = [person.group]
        for _ in range(n - 1):
            groups.append(rng.choice(PREVIOUS_GROUP[groups[-1]]))
        groups.reverse()
        history = list(zip(dates, groups, strict=True))
        for i, (decided, g) in enumerate(history):
            if i + 1 < n:
                ended = self.iso(history[i + 1][0])
            else:
                ended = NULL if person.is_open else self.iso(last)
            self.t_group.add(
                person.id,
                g,
                self.iso(decided),
                rng.choice(GROUP_REASONS[g] if i else GROUP_REASONS[g][:3]),
                person.by,
                self.iso(decided + REASSESS_DAYS[g] + rng.randint(-14, 30)),
                ended,
            )
        return history

    @staticmethod
    def _group_at(history: list[tuple[int, int]], day: int) -> int:
        g = history[0][1]
        for decided, group in history:
            if decided <= day:
                g = group
            else:
                break
        return g

    def _trajectory(
        self,
        person: _Person,
        code: str,
        started: int,
        planned_end: int | None,
        ended: int | None,
        result: str,
        cost: int,
    ) -> None:
        self.t_trajectory.add(
            person.id,
            self.instrument_id[code],
            _esc(self.rng.choice(PROVIDERS[code])),
            self.iso(started),
            self.iso(planned_end) if planned_end else NULL,
            self.iso(ended) if ended else NULL,
            result,
            _money(cost),
            person.by,
        )

    def _trajectories(
        self, person: _Person, history: list[tuple[int, int]], placement: str
    ) -> None:
        rng = self.rng
        today = self.today
        open_codes: list[str] = []
        if placement in PLACEMENT_CODES:
            started = rng.randint(max(person.start, today - 4 * 365), today)
            planned = None if placement == "nieuw_beschut" else started + PLANNED_DAYS[placement]
            self._trajectory(
                person, placement, started, planned, None, "", self.instrument_cost[placement]
            )
            open_codes.append(placement)
        elif placement in WSW_CODES:
            before_2015 = date(2014, 12, 31).toordinal()
            started = rng.randint(person.start, max(person.start, before_2015))
            self._trajectory(person, placement, started, None, None, "", 0)
            open_codes.append(placement)

        a = max(person.start, self.ws)
        last = person.last
        n = min(6, self.poisson(TRAJECTORIES_PER_YEAR[person.group] * self.years_between(a, last)))
        for started in sorted(rng.randint(a, last) for _ in range(n)):
            g = self._group_at(history, started)
            table = (
                self.c_instruments_sh
                if (g == 2 and person.status_holder)
                else self.c_instruments[g]
            )
            code = self.pick(table)
            planned_days = PLANNED_DAYS[code]
            actual = started + int(planned_days * rng.uniform(0.4, 1.3))
            cost = self.instrument_cost[code]
            if actual > last:
                if person.is_open:
                    if code in PLACEMENT_CODES or code in open_codes:
                        continue
                    open_codes.append(code)
                    self._trajectory(person, code, started, started + planned_days, None, "", cost)
                    continue
                actual = last
                if person.work_exit:
                    result = m.Trajectory.Result.WORK
                else:
                    result = rng.choice(("uitgevallen", "doorverwezen", "afgerond"))
            else:
                result = self.pick(self.c_results)
            cost = cost * min(planned_days, actual - started + 1) // planned_days
            self._trajectory(person, code, started, started + planned_days, actual, result, cost)

    def _contacts(self, person: _Person) -> None:
        rng = self.rng
        today = self.today
        s, last = person.start, person.last
        days: list[int] = []
        if s >= self.ws:
            days.append(min(s + rng.randint(0, 10), last))
        rate = CONTACTS_PER_YEAR[person.group] / DAYS_PER_YEAR
        t = max(s, self.ws) + rng.expovariate(rate)
        while t <= last:
            days.append(int(t))
            t += rng.expovariate(rate)
        if person.is_open:
            if person.out_of_view:
                days = [d for d in days if d < today - 380]
            elif not any(d >= today - 330 for d in days):
                days.append(rng.randint(max(s, today - 330), today))
        for day in days:
            channel = self.pick(self.c_channels)
            self.t_contact.add(
                person.id,
                self.iso(day),
                channel,
                person.by,
                rng.choice(CONTACT_SUMMARIES[channel]),
            )

    def _ladder(self, person: _Person, history: list[tuple[int, int]]) -> None:
        rng = self.rng
        t = max(person.start, self.ws) + rng.randint(0, 180)
        step = 0
        while t <= person.last:
            g = self._group_at(history, t)
            if g in (2, 3):
                if step == 0:
                    step = rng.choice((2, 3, 3, 4) if g == 2 else (1, 2, 2, 3))
                else:
                    r = rng.random()
                    if r < 0.2:
                        step = min(5, step + 1)
                    elif r < 0.28:
                        step = max(1, step - 1)
                self.t_ladder.add(person.id, self.iso(t), step, person.by)
            t += rng.randint(150, 210)

    def _work_fields(
        self, *, partial: bool, self_employed: bool
    ) -> tuple[str, str, str, str, bool]:
        rng = self.rng
        if partial:
            hours = rng.randint(8, 24)
        else:
            hours = rng.choice((20, 24, 28, 32, 32, 36, 36, 38, 40, 40))
        if self_employed:
            contract = m.OutflowEvent.ContractType.SELF_EMPLOYED
            employer = ""
        else:
            contract = self.pick(self.c_contracts)
            employer = _esc(self.fake.company())
        subsidised = not self_employed and rng.random() < 0.1
        return f"{hours}.0", employer, rng.choice(SECTORS), contract, subsidised

    def _outflows(self, p: _Plan, benefit: int, people: list[_Person], by: int) -> None:
        rng = self.rng
        today = self.today

        def who() -> int:
            return people[1].id if len(people) > 1 and rng.random() < 0.3 else people[0].id

        def add(
            resident: int, kind: str, reason: str, day: int, increase: bool, work, durable
        ) -> None:
            hours, employer, sector, contract, subsidised = work
            off_6, off_12 = durable
            self.t_outflow.add(
                resident,
                benefit,
                kind,
                reason,
                self.iso(day),
                _bool(increase),
                hours,
                employer,
                sector,
                contract,
                _bool(subsidised),
                off_6,
                off_12,
                by,
                f"{self.iso(min(day + rng.randint(0, 5), today))} 10:00:00+00",
            )

        # Partial outflow: part-time work started, and perhaps more hours later.
        if p.part_time_from:
            resident = who()
            work = self._work_fields(partial=True, self_employed=False)
            if p.part_time_event and p.part_time_from >= self.ws:
                add(resident, "gedeeltelijk", "werk", p.part_time_from, False, work, (NULL, NULL))
            if p.hours_increase_on and p.hours_increase_on >= self.ws:
                more = min(38, int(float(work[0])) + rng.randint(4, 12))
                work = (f"{more}.0", *work[1:])
                add(resident, "gedeeltelijk", "werk", p.hours_increase_on, True, work, (NULL, NULL))
        if p.kind != "ended":
            return
        # Full outflow: the benefit ended.
        is_work = p.end_reason in m.WORK_END_REASONS
        if is_work:
            work = self._work_fields(
                partial=False, self_employed=p.end_reason == m.CbsEndReason.SELF_EMPLOYMENT
            )
        else:
            work = (NULL, "", "", "", False)
        # Durability as services.outflow_durability_refresh defines it: no new benefit for the
        # household that started after the outflow and within 6 (12) months.
        durable: list[str] = []
        for months in (6, 12):
            moment = _add_months(p.end, months)
            if moment > today:
                durable.append(NULL)
            else:
                durable.append(_bool(p.next is None or p.next.start > moment))
        off_6, off_12 = durable
        add(who(), "volledig", "werk" if is_work else "overig", p.end, False, work, (off_6, off_12))

    def _fraud_and_debt(self, p: _Plan, resident: int, last: int) -> None:
        rng = self.rng
        today = self.today
        a = max(p.start, self.ws)
        if p.fraud_end:
            started = max(p.start, p.end - rng.randint(30, 120))
            self.t_fraud.add(
                resident,
                self.iso(started),
                self.pick(self.c_signal),
                self.iso(p.end),
                m.FraudInvestigation.Result.ENDED,
                _money(rng.randint(200_000, 2_000_000)),
            )
        rate = FRAUD_PER_HOUSEHOLD_YEAR * (1 - FRAUD_ENDED_SHARE)
        for _ in range(self.poisson(rate * self.years_between(a, last))):
            started = rng.randint(a, last)
            ended = started + rng.randint(20, 120)
            if ended > today:
                if p.end:
                    ended = today
                else:
                    self.t_fraud.add(
                        resident, self.iso(started), self.pick(self.c_signal), NULL, "", "0.00"
                    )
                    continue
            if rng.random() < FRAUD_ADJUSTED_SHARE / (1 - FRAUD_ENDED_SHARE):
                result, claim = m.FraudInvestigation.Result.ADJUSTED, rng.randint(50_000, 800_000)
            else:
                result, claim = m.FraudInvestigation.Result.UNCHANGED, 0
            self.t_fraud.add(
                resident,
                self.iso(started),
                self.pick(self.c_signal),
                self.iso(ended),
                result,
                _money(claim),
            )
        for _ in range(self.poisson(DEBT_PER_HOUSEHOLD_YEAR * self.years_between(a, last))):
            applied = rng.randint(a, last)
            closed = applied + rng.randint(60, 900)
            debt = int(math.exp(rng.gauss(9.6, 0.8)) * 100)
            if closed > today:
                self.t_debt.add(resident, self.iso(applied), _money(debt), NULL, "")
            else:
                self.t_debt.add(
                    resident,
                    self.iso(applied),
                    _money(debt),
                    self.iso(closed),
                    self.pick(self.c_debt),
                )


# --- Public API ---------------------------------------------------------------------------------


def _ensure_instruments() -> None:
    """Load catalogue entries that are missing (a flushed test database has none)."""
    existing = set(m.Instrument.objects.values_list("code", flat=True))
    missing = [
        m.Instrument(
            code=code,
            name=name,
            category=category,
            srg_type=srg,
            is_working_with_support=support,
            is_participation=participation,
            default_cost=cost,
        )
        for code, name, category, srg, support, participation, cost in INSTRUMENTS
        if code not in existing
    ]
    if missing:
        m.Instrument.objects.bulk_create(missing)


def has_demo_data() -> bool:
    """True when any municipality or resident exists."""
    return m.Municipality.objects.exists() or m.Resident.objects.exists()


def clear_demo_data() -> None:
    """Remove the caseload data (all municipalities, residents, ...) and non-superuser staff.

    Keeps the instrument catalogue and superusers. Tables of other apps that reference the
    caseload are emptied too (TRUNCATE ... CASCADE).
    """
    data_models = [
        m.DebtCase,
        m.FraudInvestigation,
        m.LadderScore,
        m.ContactMoment,
        m.OutflowEvent,
        m.Trajectory,
        m.GroupAssignment,
        m.Application,
        m.BenefitPayment,
        m.Benefit,
        m.Resident,
        m.Household,
        m.District,
        m.MunicipalityYear,
    ]
    tables = ", ".join(f'"{model._meta.db_table}"' for model in data_models)
    with transaction.atomic(), connection.cursor() as cursor:
        # Deferred foreign-key checks pending in this transaction would block TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        m.User.objects.filter(is_superuser=False).delete()
        # Superusers stay; they no longer belong to a (deleted) team.
        for user in m.User.objects.filter(team__isnull=False):
            user.team = None
            if user.role in m.TEAM_ROLES:
                user.role = m.Role.BEHEER
            user.save(update_fields=["team", "role"])
        m.Team.objects.all().delete()
        m.Municipality.objects.all().delete()


def generate_demo(
    *,
    households: int,
    seed: int,
    today: date,
    years: int = 6,
    password: str = DEFAULT_PASSWORD,
    stdout: TextIO | None = None,
) -> dict[str, int]:
    """Generate the demo municipality; return the number of rows written per table.

    ``households`` is the open caseload at ``today``; the history starts on 1 January of
    ``today.year - years``. The database must not contain a municipality yet.
    """
    if m.Municipality.objects.exists():
        raise ValueError("Er bestaat al een gemeente; verwijder eerst de gegevens.")

    def log(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    gen = _Generator(
        households=households, seed=seed, today=today, years=years, password=password, log=log
    )
    counts = {
        "caseload_municipality": 1,
        "caseload_municipalityyear": today.year - gen.window_start_date.year + 1,
        "caseload_district": len(DISTRICTS),
        "caseload_team": len(TEAMS),
    }
    counts.update(gen.run())
    counts["caseload_user"] = gen.staff_count
    # Bulk-loaded tables have no planner statistics yet (or those of before a clear): without
    # ANALYZE, PostgreSQL plans the first queries as if the tables were empty (nested loops
    # over 100,000s of rows).
    with connection.cursor() as cursor:
        for table in counts:
            cursor.execute(f'ANALYZE "{table}"')
    return counts


def demo_logins() -> list[tuple[str, str]]:
    """(username, role label) of the fixed demo logins."""
    return [(name, str(m.Role(role).label)) for name, role, _, _ in DEMO_USERS]
