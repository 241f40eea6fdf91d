"""Parameters of the demo municipality: its figures, the sizes and rates of the caseload model,
and the weighted tables the stochastic plan and the row writers draw from.

Changing a value changes the demo data for every seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from caseload import models as m

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
    ("accountmanager", m.Role.ACCOUNT_MANAGER, "", False),  # werkgeversservicepunt (#18)
]
# Models the functioneel beheerder maintains in the admin (configuration, never dossiers).
BEHEER_MODELS = (
    "municipality",
    "municipalityyear",
    "region",
    "district",
    "team",
    "instrument",
    "user",
)
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
# The business case's average yearly cost of one benefit: the Hilversum plan's figure for the
# plan's years, indexed like the norms before and after them (beheer edits it per year).
PLAN_AVERAGE_COST = 14_400
# ``manage.py seed_demo``'s history starts on 1 January of the plan's base year (issue 15)
HISTORY_START_YEAR = 2019
PLAN_COST_YEARS = (2019, 2021)
PLAN_COST_SOURCE = "Plan van aanpak Hilversum 2019-2021"
INDEXED_COST_SOURCE = (
    "Demo: het bedrag van het plan van aanpak Hilversum 2019-2021, geïndexeerd met 2,5% per jaar"
)

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
    "parttime_ondernemen": ("Bbz-loket Gooi en Vecht (demo)",),
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


# --- The four demo municipalities (issue 17) ----------------------------------------------------
#
# One entry per policy seed (/work/shared/seeds): Hilversum (003) is the reference and stays as it
# was (same names, users, sizes and draws for the same seed); Groningen (001, 002),
# 's-Hertogenbosch (000) and Amersfoort (004) are added beside it. The larger municipalities are
# loaded at ``DEMO_SCALE`` of their real caseload so that ``make run`` stays fast (about 7,900
# open households in all); their inhabitants are scaled by the same factor, so every figure per
# inhabitant (bijstand per 1,000 inwoners, the BBV set) keeps its real order of magnitude, while
# counts (outflows, placements) are about ``DEMO_SCALE`` of the real ones. The seeds' targets
# themselves are loaded as the seeds state them (indicators/seeds.py).

#: the factor by which the larger municipalities' caseload and inhabitants are scaled down
DEMO_SCALE = 0.3

#: roles without a team whose demo logins work for their own municipality only
MUNICIPALITY_BOUND_ROLES = (m.Role.MANAGER, m.Role.FINANCE, m.Role.ACCOUNT_MANAGER)

#: (username, role, team kind or "", is_staff) of the logins added for every other municipality;
#: the username gets ``.<key>`` appended (``consulent.groningen``, ``manager.denbosch``)
MUNICIPALITY_USERS: list[tuple[str, str, str, bool]] = [
    ("consulent", m.Role.CONSULENT, TeamKind.WORK, False),
    ("teamleider", m.Role.TEAMLEIDER, TeamKind.WORK, False),
    ("manager", m.Role.MANAGER, "", False),
    ("financien", m.Role.FINANCE, "", False),
]


@dataclass(frozen=True)
class MunicipalityProfile:
    """One demo municipality: its identity, its size and shape after its seed, its teams, logins
    and providers. ``households_for`` gives its open caseload for a given Hilversum size."""

    key: str  # lowercase, no spaces: the suffix of its usernames ("" for Hilversum)
    name: str
    cbs_code: str
    city: str
    seeds: str  # the policy seeds the municipality is shaped after
    #: benefit households in the seed's base year (the real municipality), and where from
    real_caseload: int
    real_caseload_source: str
    scale: float  # share of the real caseload (and inhabitants) that the demo loads
    #: inhabitants on 1 January of ``population_year`` (real), the yearly growth, the source
    population: int
    population_year: int
    population_growth: int
    population_source: str
    history_start_year: int  # the seed's base year: ``seed_demo`` loads history from 1 January
    districts: list[tuple[str, str, tuple[int, ...], int]]
    teams: list[tuple[str, str, str]]
    users: list[tuple[str, str, str, bool]]
    email_domain: str
    providers: dict[str, tuple[str, ...]]
    placements_per_2200: dict[str, int]
    group_share: dict[int, float] = field(default_factory=lambda: dict(GROUP_SHARE))
    #: the business case's average yearly cost of one benefit, the plan's years and sources
    average_cost: int = PLAN_AVERAGE_COST
    cost_years: tuple[int, int] = PLAN_COST_YEARS
    cost_source: str = PLAN_COST_SOURCE
    indexed_cost_source: str = INDEXED_COST_SOURCE
    seed_offset: int = 0  # added to the seed: each municipality draws its own residents
    #: Vso/Pro school-leavers a year that the youth team guides towards work without a benefit
    #: (real municipality; the demo loads them scaled like the caseload)
    vso_pro_youths_per_year: int = 0

    def username(self, name: str) -> str:
        return f"{name}.{self.key}" if self.key else name

    def households_for(self, reference: int) -> int:
        """The open caseload when Hilversum (the reference, 2,200 by default) has ``reference``
        households: the real caseload times ``scale``, in proportion to the reference."""
        return max(1, round(self.real_caseload * self.scale * reference / HILVERSUM_CASELOAD))

    def population_in(self, year: int) -> int:
        """Inhabitants on 1 January of ``year`` as the demo stores them (scaled like the caseload)."""
        real = self.population + self.population_growth * (year - self.population_year)
        return real if self.scale == 1 else round(real * self.scale)

    def population_note(self) -> str:
        if self.scale == 1:
            return self.population_source
        return f"{self.population_source}, in de demo x {str(self.scale).replace('.', ',')}"


HILVERSUM_CASELOAD = 2200

#: the Vso/Pro school-leavers guided without a benefit (``rows.vso_pro``): the share placed in
#: work (so that 's-Hertogenbosch's ~110 a year give about the seed's 70), the instrument, and
#: the first contact's summary
VSO_PRO_PLACED_SHARE = 0.65
VSO_PRO_INSTRUMENT = "coaching"
VSO_PRO_CONTACT_SUMMARY = (
    "Kennismaking jongerenloket: overdracht van school (Vso/Pro), afspraken over werk zonder "
    "uitkering."
)


def _providers(city: str, region: str) -> dict[str, tuple[str, ...]]:
    """Provider names of a municipality's instruments (fictional, marked "(demo)")."""
    return {
        "jobhunting": (f"Werkbedrijf {region} (demo)", f"Jobhunters {city} (demo)"),
        "sollicitatietraining": (f"Werkbedrijf {region} (demo)",),
        "proefplaatsing": (f"Werkgeversservicepunt {region} (demo)",),
        "coaching": (f"Coachpunt {city} (demo)", "Stichting Stap Verder (demo)"),
        "scholing": (f"ROC {region} (demo)",),
        "werkervaringsplaats": (f"Kringloop {city} (demo)", f"Groenbedrijf {region} (demo)"),
        "taal_werkvloer": (f"Taalhuis {city} (demo)",),
        "loonkostensubsidie": (f"Werkgeversservicepunt {region} (demo)",),
        "nieuw_beschut": (f"Werkbedrijf {region} (demo)",),
        "garantiebaan": (f"Werkgeversservicepunt {region} (demo)",),
        "vrijwilligerswerk": (f"Vrijwilligerscentrale {city} (demo)",),
        "sociale_activering": (f"Buurtwerk {city} (demo)",),
        "dagbesteding": (f"Dagbesteding {city} (demo)",),
        "participatieplaats": (f"Kringloop {city} (demo)",),
        "schuldhulpverlening": (f"Schuldhulp {city} (demo)",),
        "parttime_ondernemen": (f"Bbz-loket {region} (demo)",),
        "wsw_detachering": (f"Werkbedrijf {region} (demo)",),
        "wsw_begeleid_werken": (f"Werkbedrijf {region} (demo)",),
    }


HILVERSUM = MunicipalityProfile(
    key="",
    name=MUNICIPALITY_NAME,
    cbs_code=MUNICIPALITY_CODE,
    city=CITY,
    seeds="003 (Focus op werk, plan van aanpak 2019-2021)",
    real_caseload=HILVERSUM_CASELOAD,
    real_caseload_source="Demo: orde van grootte van het bijstandsbestand van Hilversum",
    scale=1,
    population=90_500,
    population_year=2020,
    population_growth=350,
    population_source="Demo: orde van grootte van de bevolking van Hilversum (CBS)",
    history_start_year=HISTORY_START_YEAR,
    districts=DISTRICTS,
    teams=TEAMS,
    users=DEMO_USERS,
    email_domain="hilversum-demo.example",
    providers=PROVIDERS,
    placements_per_2200=PLACEMENTS_PER_2200,
    vso_pro_youths_per_year=30,  # demo: order of magnitude for a city of 90,000
)

GRONINGEN = MunicipalityProfile(
    key="groningen",
    name="Groningen (demo)",
    cbs_code="GM0014",
    city="Groningen",
    seeds="001 en 002 (begroting 2020 en 2021, Werk en activering)",
    real_caseload=11_000,
    real_caseload_source="Demo: orde van grootte van het bijstandsbestand van Groningen, 2019",
    scale=DEMO_SCALE,
    population=231_000,
    population_year=2019,
    population_growth=1_500,
    population_source="CBS StatLine, bevolking op 1 januari 2019 (afgerond)",
    history_start_year=2019,
    districts=[
        ("Centrum", "WK001400", (9711, 9712), 10),
        ("Oud-West", "WK001401", (9718,), 8),
        ("Oud-Zuid", "WK001402", (9721,), 7),
        ("Oost", "WK001403", (9713, 9714), 16),
        ("Noordwest", "WK001404", (9741, 9742), 15),
        ("Zuid", "WK001405", (9722, 9723), 12),
        ("Hoogkerk", "WK001406", (9745,), 6),
        ("Ten Boer", "WK001407", (9791,), 4),
        ("Haren", "WK001408", (9751,), 3),
        ("Beijum en Lewenborg", "WK001409", (9733, 9734), 19),
    ],
    # KIK: the Kansen in Kaart consulenten (income team); Thuisin050: the status holders' unit
    teams=[
        (TeamKind.POORT, "Poort", "poort"),
        (TeamKind.WORK, "Werk & Activering", "werk"),
        (TeamKind.INCOME, "Inkomen & Kansen in Kaart", "inkomen"),
        (TeamKind.YOUTH, "Jongeren", "jongeren"),
        (TeamKind.STATUS_HOLDERS, "Thuisin050", "statushouders"),
        (TeamKind.ENFORCEMENT, "Handhaving", "handhaving"),
    ],
    users=MUNICIPALITY_USERS,
    email_domain="groningen-demo.example",
    providers=_providers("Groningen", "iederz"),
    # the seed's beschut quota (138, 2021) and Wsw (585 detached, 90 supported; 2020) per 2,200
    # households of an 11,000 caseload
    placements_per_2200={
        "nieuw_beschut": 28,
        "loonkostensubsidie": 90,
        "garantiebaan": 40,
        "wsw_detachering": 117,
        "wsw_begeleid_werken": 18,
    },
    group_share={1: 0.18, 2: 0.30, 3: 0.52},
    cost_years=(2019, 2021),
    cost_source="Demo: het bedrag van het Hilversumse plan, voor Groningen overgenomen",
    seed_offset=1_000,
    vso_pro_youths_per_year=200,  # demo: order of magnitude for a city of 231,000
)

DEN_BOSCH = MunicipalityProfile(
    key="denbosch",
    name="'s-Hertogenbosch (demo)",
    cbs_code="GM0796",
    city="'s-Hertogenbosch",
    seeds="000 (Zoveel mogelijk mensen werken naar vermogen)",
    real_caseload=4_300,
    real_caseload_source=(
        "Demo: orde van grootte van het bijstandsbestand van 's-Hertogenbosch, 2018"
    ),
    scale=DEMO_SCALE,
    population=154_000,
    population_year=2018,
    population_growth=1_200,
    population_source="CBS StatLine, bevolking op 1 januari 2018 (afgerond)",
    history_start_year=2018,
    districts=[
        ("Centrum", "WK079601", (5211,), 10),
        ("Noord", "WK079602", (5213, 5215), 24),
        ("Oost", "WK079603", (5216,), 16),
        ("West", "WK079604", (5221, 5223), 18),
        ("Zuid", "WK079605", (5212,), 14),
        ("Rosmalen", "WK079606", (5241, 5242), 10),
        ("Empel", "WK079607", (5235,), 8),
    ],
    # WXL: the regional werkbedrijf that carries the werk-team's placements in the seed
    teams=[
        (TeamKind.POORT, "Poort", "poort"),
        (TeamKind.WORK, "Werk (WXL)", "werk"),
        (TeamKind.INCOME, "Inkomen", "inkomen"),
        (TeamKind.YOUTH, "Jongeren en Vso/Pro", "jongeren"),
        (TeamKind.STATUS_HOLDERS, "Statushouders", "statushouders"),
        (TeamKind.ENFORCEMENT, "Handhaving", "handhaving"),
    ],
    users=MUNICIPALITY_USERS,
    email_domain="denbosch-demo.example",
    providers=_providers("'s-Hertogenbosch", "WXL"),
    # the seed's nieuw beschut 60 fte and loonkostensubsidie 223 fte (2018) per 2,200
    # households of a 4,300 caseload
    placements_per_2200={
        "nieuw_beschut": 31,
        "loonkostensubsidie": 114,
        "garantiebaan": 45,
        "wsw_detachering": 6,
        "wsw_begeleid_werken": 3,
    },
    cost_years=(2018, 2019),
    cost_source="Demo: het bedrag van het Hilversumse plan, voor 's-Hertogenbosch overgenomen",
    seed_offset=2_000,
    vso_pro_youths_per_year=110,  # the seed places 70 a year: 110 x 0.65
)

AMERSFOORT = MunicipalityProfile(
    key="amersfoort",
    name="Amersfoort (demo)",
    cbs_code="GM0307",
    city="Amersfoort",
    seeds="004 (programmabegroting, Werk en inkomen)",
    real_caseload=3_275,
    real_caseload_source="Seed 004: aantal uitkeringen bijstand 3.275 (2018)",
    scale=DEMO_SCALE,
    population=156_000,
    population_year=2018,
    population_growth=1_300,
    population_source="CBS StatLine, bevolking op 1 januari 2018 (afgerond)",
    history_start_year=2018,
    districts=[
        ("Binnenstad", "WK030701", (3811,), 8),
        ("Kruiskamp en Koppel", "WK030702", (3813, 3817), 22),
        ("Soesterkwartier", "WK030703", (3812,), 12),
        ("Schothorst", "WK030704", (3822,), 14),
        ("Liendert en Rustenburg", "WK030705", (3815, 3816), 20),
        ("Vathorst", "WK030706", (3825,), 12),
        ("Nieuwland", "WK030707", (3824,), 12),
    ],
    teams=[
        (TeamKind.POORT, "Poort", "poort"),
        (TeamKind.WORK, "Werk", "werk"),
        (TeamKind.INCOME, "Inkomen", "inkomen"),
        (TeamKind.YOUTH, "Jongeren", "jongeren"),
        (TeamKind.STATUS_HOLDERS, "Statushouders", "statushouders"),
        (TeamKind.ENFORCEMENT, "Handhaving", "handhaving"),
    ],
    users=MUNICIPALITY_USERS,
    email_domain="amersfoort-demo.example",
    providers=_providers("Amersfoort", "Eemland"),
    placements_per_2200={
        "nieuw_beschut": 40,
        "loonkostensubsidie": 100,
        "garantiebaan": 50,
        "wsw_detachering": 5,
        "wsw_begeleid_werken": 3,
    },
    group_share={1: 0.22, 2: 0.30, 3: 0.48},
    cost_years=(2018, 2019),
    cost_source="Demo: het bedrag van het Hilversumse plan, voor Amersfoort overgenomen",
    seed_offset=3_000,
    vso_pro_youths_per_year=90,  # demo: order of magnitude for a city of 156,000
)

#: every demo municipality, in load order (Hilversum first: its ids and draws stay as they were)
PROFILES: list[MunicipalityProfile] = [HILVERSUM, GRONINGEN, DEN_BOSCH, AMERSFOORT]

#: the region of the demo and its regional login (issue 17)
REGION_NAME = "Regio (demo)"
REGION_USER = "regio"


def profile_for(cbs_code: str) -> MunicipalityProfile:
    for profile in PROFILES:
        if profile.cbs_code == cbs_code:
            return profile
    raise KeyError(cbs_code)
