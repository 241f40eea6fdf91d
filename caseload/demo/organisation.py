"""The organisation (through the ORM; small tables): instrument catalogue, municipality with its
years, districts and teams, and the staff with the fixed demo logins."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission

from caseload import models as m
from caseload.catalogue import INSTRUMENTS

from .parameters import (
    BEHEER_APPS,
    BEHEER_MODELS,
    MUNICIPALITY_BOUND_ROLES,
    NORM_INDEX_PER_YEAR,
    RESIDENTS_PER_CONSULENT,
    TeamKind,
)
from .plan import Plan
from .state import DemoState, split_last_name


def ensure_instruments() -> None:
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


def catalogue(d: DemoState) -> None:
    """The instrument catalogue (loaded where missing) with each instrument's id and cost."""
    ensure_instruments()
    d.instrument_id = dict(m.Instrument.objects.values_list("code", "id"))
    d.instrument_cost = {
        code: int(cost * 100)
        for code, cost in m.Instrument.objects.values_list("code", "default_cost")
    }


def organisation(d: DemoState) -> None:
    """The municipality with its years, districts (with street names) and teams."""
    prof = d.profile
    # the demo's facts (contacts, outflows, trajectories) start with its history: before it
    # the figures would be zeros, not "no data" (the independent recomputation of 3 December)
    mun = m.Municipality.objects.create(
        name=prof.name, cbs_code=prof.cbs_code, records_from=d.window_start_date
    )
    d.municipality_id = mun.pk
    years = []
    first, last = prof.cost_years
    for year in range(d.window_start_date.year, d.today_date.year + 1):
        population = prof.population_in(year)
        if first <= year <= last:
            cost, source = Decimal(prof.average_cost), prof.cost_source
        else:  # outside the plan's years: the plan's figure indexed like the norms
            base = last if year > last else first
            cost = Decimal(prof.average_cost * NORM_INDEX_PER_YEAR ** (year - base))
            cost = cost.quantize(Decimal("0.01"))
            source = prof.indexed_cost_source
        years.append(
            m.MunicipalityYear(
                municipality=mun,
                year=year,
                population=population,
                population_18_plus=round(population * 0.795),
                population_15_64=round(population * 0.636),
                population_15_74=round(population * 0.738),
                population_source=prof.population_note(),
                average_benefit_cost=cost,
                average_benefit_cost_source=source,
            )
        )
    m.MunicipalityYear.objects.bulk_create(years)
    d.districts = []
    for name, code, postcodes, _ in prof.districts:
        district = m.District.objects.create(municipality=mun, name=name, code=code)
        streets = [d.fake.street_name() for _ in range(30)]
        d.districts.append((district.pk, postcodes, streets))
    d.teams = {}
    for kind, name, _ in prof.teams:
        d.teams[kind] = m.Team.objects.create(municipality=mun, name=name, kind=kind).pk


def staff(d: DemoState, plans: list[Plan]) -> None:
    """Team leaders and consulenten sized to the planned caseload, the demo logins, and a
    consulent for every open household."""
    prof = d.profile
    caseload: dict[str, int] = {kind: 0 for kind, _, _ in prof.teams}
    for p in plans:
        if p.kind == "open":
            caseload[p.team] += 2 if p.partner_birth else 1
    password = make_password(d.password)
    users: list[m.User] = []
    fake = d.fake

    def user(name: str, role: str, team: str, is_staff: bool = False) -> m.User:
        username = prof.username(name)
        first = fake.first_name()
        prefix, last = split_last_name(fake.last_name())
        u = m.User(
            username=username,
            first_name=first,
            last_name=f"{prefix} {last}".strip(),
            email=f"{username}@{prof.email_domain}",
            password=password,
            role=role,
            team_id=d.teams[team] if team else None,
            is_staff=is_staff,
            # a manager, finance or WSP login works for its own municipality only (issue 17);
            # beheer and the privacy officer serve the whole installation
            municipality_id=d.municipality_id if role in MUNICIPALITY_BOUND_ROLES else None,
        )
        users.append(u)
        return u

    demo = {name: user(name, role, team, is_staff) for name, role, team, is_staff in prof.users}
    consulent_users: dict[str, list[m.User]] = {}
    for kind, _, slug in prof.teams:
        if kind == TeamKind.ENFORCEMENT:
            count = max(2, round(d.n / 500))
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
    if "beheer" in demo:
        demo["beheer"].user_permissions.set(beheer_perms)
    d.staff_count = len(users)
    d.consulents = {kind: [u.pk for u in us] for kind, us in consulent_users.items()}
    counters = dict.fromkeys(d.consulents, 0)
    for p in plans:
        if p.kind == "open":
            ids = d.consulents[p.team]
            p.consulent = ids[counters[p.team] % len(ids)]
            counters[p.team] += 1
