"""Rows of one household: the address, the applicant and partner, and then each of its benefits
(or only the application that did not lead to one)."""

from __future__ import annotations

from caseload import models as m

from ..copy_writer import NULL, boolean, esc
from ..parameters import (
    STARTKWALIFICATIE_LEVELS,
    STATUS_HOLDER_FIRST_F,
    STATUS_HOLDER_FIRST_M,
    STATUS_HOLDER_LAST,
    WSW_CODES,
    TeamKind,
)
from ..plan import Plan
from ..state import DemoState, split_last_name
from . import benefits


def write_household(d: DemoState, p: Plan) -> None:
    """One household: address and residents, then each of its benefits in turn."""
    if p.is_return:
        return  # written with the benefit it follows
    rng = d.rng
    current = p
    while current.next is not None:
        current = current.next
    hh = address_row(d, p)
    female = rng.random() < (0.85 if p.household_type == m.HouseholdType.SINGLE_PARENT else 0.5)
    # The application was received on the plan's start, or some weeks before the benefit.
    only_applied = p.kind in ("application", "pending")
    registered = p.start if only_applied else p.start - rng.randint(14, 42)
    doelgroep = current.placement in ("nieuw_beschut", "garantiebaan", *WSW_CODES) or (
        current.placement == "loonkostensubsidie" and rng.random() < 0.2
    )
    applicant, name = resident_row(
        d,
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
        partner, _ = resident_row(
            d,
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
        _application_only(d, p, applicant)
        return
    episode: Plan | None = p
    while episode is not None:
        benefits.write_benefit(d, episode, hh, applicant, partner, registered)
        previous, episode = episode, episode.next
        if episode is not None:
            registered = max(previous.end + 1, episode.start - rng.randint(14, 42))


def address_row(d: DemoState, p: Plan) -> int:
    rng = d.rng
    district_id, postcodes, streets = d.districts[d.pick(d.c_district)]
    number = str(rng.randint(1, 220))
    r = rng.random()
    if r < 0.08:
        number += rng.choice("ABC")
    elif r < 0.14:
        number += f"-{rng.randint(1, 4)}"
    letters = rng.choice("ABCDEGHJKLMNPRSTVWXZ") + rng.choice("ABCDEGHJKLMNPRSTVWXZ")
    if letters in ("SA", "SD", "SS"):  # no such postcodes (common.postcode); same draws
        letters = "SB"
    postcode = f"{rng.choice(postcodes)} {letters}"
    return d.t_household.add(
        d.municipality_id,
        p.household_type,
        esc(rng.choice(streets)),
        number,
        postcode,
        esc(d.profile.city),
        district_id,
        p.children,
    )


def resident_row(
    d: DemoState,
    p: Plan,
    current: Plan,
    household_id: int,
    *,
    role: str,
    birth: int,
    female: bool,
    last_name: tuple[str, str] | None,
    registered: int,
    doelgroep: bool,
    education: str | None = None,
) -> tuple[int, tuple[str, str]]:
    rng = d.rng
    sh = p.status_holder
    if sh:
        first = rng.choice(STATUS_HOLDER_FIRST_F if female else STATUS_HOLDER_FIRST_M)
        name = last_name or ("", rng.choice(STATUS_HOLDER_LAST))
        education = d.pick(d.c_education_sh)
        language = d.pick(d.c_language_sh)
    else:
        first = d.fake.first_name_female() if female else d.fake.first_name_male()
        name = last_name or split_last_name(d.fake.last_name())
        if education is None:
            education = d.pick(d.c_education)
        language = d.pick(d.c_language)
    startkwalificatie = education in STARTKWALIFICATIE_LEVELS and rng.random() < 0.9
    consulent = current.consulent if current.kind == "open" else None
    rid = d.t_resident.add(
        d.municipality_id,
        d.fake_bsn(),
        "t",
        esc(first),
        esc(name[0]),
        esc(name[1]),
        d.iso(birth),
        household_id,
        role,
        education,
        boolean(startkwalificatie),
        boolean(sh),
        boolean(doelgroep or rng.random() < 0.005),
        language,
        d.teams[current.team],
        NULL if consulent is None else consulent,
        f"{d.iso(registered)} 08:30:00+00",
    )
    return rid, name


def _application_only(d: DemoState, p: Plan, resident: int) -> None:
    rng = d.rng
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
        decided = d.iso(min(p.start + rng.randint(5, 56), d.today))
    d.t_application.add(
        resident,
        m.Regime.ALGEMENE_BIJSTAND,
        d.iso(p.start),
        "verhoogd" if raised else "normaal",
        route,
        p.outcome,
        decided,
        NULL,
    )
    if p.outcome != m.Application.Outcome.PENDING or rng.random() < 0.5:
        d.t_contact.add(
            resident,
            d.iso(min(p.start + rng.randint(0, 7), d.today)),
            m.ContactMoment.Channel.FACE_TO_FACE,
            rng.choice(d.consulents[TeamKind.POORT]),
            "Gesprek over de melding en de mogelijkheden voor werk.",
        )
