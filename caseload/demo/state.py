"""The state of one demo load that the plan and every row writer share: the seeded random source
(one ``random.Random`` and one ``Faker('nl_NL')``, consumed in a fixed order), the calendar of the
history window, the COPY buffers per table and the ids of the organisation written first."""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections.abc import Callable, Sequence
from datetime import date

from faker import Faker

from caseload import models as m
from common.bsn import generate_fake_bsn

from .copy_writer import Table
from .parameters import (
    AGE_TRIANGLE,
    CHANNELS,
    CONTRACTS,
    DAYS_PER_YEAR,
    DEBT_RESULTS,
    EDUCATION,
    EDUCATION_STATUS_HOLDER,
    HILVERSUM,
    HOUSEHOLD_TYPES,
    INSTRUMENTS_BY_GROUP,
    LANGUAGE,
    LANGUAGE_STATUS_HOLDER,
    NAME_PREFIXES,
    NON_WORK_REASONS,
    SIGNAL_SOURCES,
    TRAJECTORY_RESULTS,
    MunicipalityProfile,
)

Cumulative = tuple[list, list[float]]


def cumulative(weights: Sequence[tuple[object, int | float]]) -> Cumulative:
    """The values and cumulative weights of a weighted table, for ``DemoState.pick``."""
    values = [v for v, _ in weights]
    total = 0.0
    cum = []
    for _, w in weights:
        total += w
        cum.append(total)
    return values, cum


def split_last_name(full: str) -> tuple[str, str]:
    """'van der Ploeg' -> ('van der', 'Ploeg')."""
    parts = full.split(" ")
    i = 0
    while i < len(parts) - 1 and parts[i] in NAME_PREFIXES:
        i += 1
    return " ".join(parts[:i]), " ".join(parts[i:])


class DemoState:
    """One load: the seeded draws, the window's calendar, the COPY tables and the organisation."""

    def __init__(
        self,
        *,
        households: int,
        seed: int,
        today: date,
        years: int,
        password: str,
        log: Callable[[str], None],
        profile: MunicipalityProfile = HILVERSUM,
        taken_bsns: set[str] | None = None,
    ) -> None:
        if households < 1:
            raise ValueError("households must be at least 1")
        if years < 1:
            raise ValueError("years must be at least 1")
        self.n = households
        self.profile = profile
        self.rng = random.Random(seed)
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed)
        self.today_date = today
        self.today = today.toordinal()
        self.window_start_date = date(today.year - years, 1, 1)
        self.ws = self.window_start_date.toordinal()
        self.password = password
        self.log = log
        # BSNs of the municipalities loaded before this one: every resident's BSN is unique
        self.bsns: set[str] = set(taken_bsns or ())
        self._iso: dict[int, str] = {}
        self._months()
        self._tables()
        self._lookups()
        self.counts: dict[str, int] = {}
        # Set by the organisation writers before any household is written.
        self.municipality_id = 0
        self.districts: list[tuple[int, tuple[int, ...], list[str]]] = []
        self.teams: dict[str, int] = {}
        self.consulents: dict[str, list[int]] = {}
        self.staff_count = 0
        self.instrument_id: dict[str, int] = {}
        self.instrument_cost: dict[str, int] = {}

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
        self.t_household = Table(
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
        self.t_resident = Table(
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
        self.t_benefit = Table(
            m.Benefit,
            ("household_id", "applicant_id", "regime", "start_date", "end_date", "end_reason"),
        )
        self.t_application = Table(
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
        self.t_payment = Table(
            m.BenefitPayment, ("benefit_id", "month", "amount_paid", "income_offset")
        )
        self.t_group = Table(
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
        self.t_trajectory = Table(
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
                "hours_per_week",
                "banenafspraak_sector",
            ),
        )
        self.t_outflow = Table(
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
        self.t_contact = Table(
            m.ContactMoment, ("resident_id", "occurred_on", "channel", "by_id", "summary")
        )
        self.t_ladder = Table(m.LadderScore, ("resident_id", "measured_on", "step", "by_id"))
        self.t_fraud = Table(
            m.FraudInvestigation,
            ("resident_id", "started_on", "signal_source", "ended_on", "result", "claim_amount"),
        )
        self.t_debt = Table(
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

    # ---- random draws

    def pick(self, table: Cumulative):
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

    def _lookups(self) -> None:
        """The weighted tables in the form ``pick`` draws from."""
        share = self.profile.group_share
        self.c_group = cumulative([(1, share[1]), (2, share[2]), (3, share[3])])
        self.c_nonwork = cumulative(NON_WORK_REASONS)
        self.c_household = cumulative(HOUSEHOLD_TYPES)
        self.c_district = cumulative(
            [(i, w) for i, (_, _, _, w) in enumerate(self.profile.districts)]
        )
        self.c_education = cumulative(EDUCATION)
        self.c_education_sh = cumulative(EDUCATION_STATUS_HOLDER)
        self.c_language = cumulative(LANGUAGE)
        self.c_language_sh = cumulative(LANGUAGE_STATUS_HOLDER)
        self.c_instruments = {g: cumulative(v) for g, v in INSTRUMENTS_BY_GROUP.items()}
        self.c_instruments_sh = cumulative(
            [(c, w * 3 if c == "taal_werkvloer" else w) for c, w in INSTRUMENTS_BY_GROUP[2]]
        )
        self.c_results = cumulative(TRAJECTORY_RESULTS)
        self.c_contracts = cumulative(CONTRACTS)
        self.c_channels = cumulative(CHANNELS)
        self.c_signal = cumulative(SIGNAL_SOURCES)
        self.c_debt = cumulative(DEBT_RESULTS)
