"""From a BRP answer to what the registration form starts with (pure: no ORM, no HTTP).

The result is stored in the session between the look-up and the registration (JSON: dates as
ISO text), so the BSN never travels in a URL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caseload.models import HouseholdType, ResidentSource
from common.bsn import is_valid_bsn

from .brp.client import BrpPerson, BrpRelative

ADULT_AGE = 18


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _relative(rel: BrpRelative) -> dict[str, str]:
    return {
        "bsn": rel.bsn,
        "first_name": rel.naam.voornamen,
        "name_prefix": rel.naam.voorvoegsel,
        "last_name": rel.naam.geslachtsnaam,
        "name": rel.naam.full,
        "birth_date": rel.geboortedatum.isoformat() if rel.geboortedatum else "",
        # shown as every date on the pages (j-n-Y)
        "birth_date_text": (
            f"{rel.geboortedatum.day}-{rel.geboortedatum.month}-{rel.geboortedatum.year}"
            if rel.geboortedatum
            else ""
        ),
    }


def registerable(rel: dict[str, str]) -> bool:
    """A partner can be registered from the answer: valid BSN, name and full birth date."""
    return bool(
        is_valid_bsn(rel["bsn"]) and rel["first_name"] and rel["last_name"] and rel["birth_date"]
    )


def state_from_brp(*, bsn: str, person: BrpPerson, today: dt.date) -> dict[str, Any]:
    """The flow's state after a BRP answer: the form's initial values, which of them are locked
    (they came from the BRP), the partner and children to show."""
    initial: dict[str, Any] = {
        "first_name": person.naam.voornamen,
        "name_prefix": person.naam.voorvoegsel,
        "last_name": person.naam.geslachtsnaam,
        "birth_date": person.geboortedatum.isoformat() if person.geboortedatum else "",
    }
    locked = [k for k in ("first_name", "last_name", "birth_date") if initial[k]]
    if initial["first_name"] and initial["last_name"]:
        locked.append("name_prefix")
    if person.adres and person.adres.straat and person.adres.postcode:
        pc = person.adres.postcode.replace(" ", "")
        initial.update(
            street=person.adres.straat,
            house_number=person.adres.house_number,
            postcode=f"{pc[:4]} {pc[4:]}",
            city=person.adres.woonplaats,
        )
        locked += ["street", "house_number", "postcode", "city"]
    partners = [_relative(p) for p in person.partners]
    children = [
        _relative(k)
        for k in person.kinderen
        if k.geboortedatum is None or _age(k.geboortedatum, today) < ADULT_AGE
    ]
    partner = next((p for p in partners if registerable(p)), None)
    registered = person.gemeente_van_inschrijving
    if partners:
        household_type = HouseholdType.COUPLE
    elif children:
        household_type = HouseholdType.SINGLE_PARENT
    else:
        household_type = HouseholdType.SINGLE
    initial.update(household_type=household_type, children_count=len(children))
    return {
        "bsn": bsn,
        "source": ResidentSource.BRP,
        "outcome": "found",
        "initial": initial,
        "locked": locked,
        "partners": partners,
        "partner": partner,
        "children": children,
        # the municipality the BRP registers the person in (art. 40 Participatiewet)
        "registered_in": (
            {"code": registered.cbs_code, "name": registered.omschrijving} if registered else None
        ),
    }


def state_by_hand(*, bsn: str, outcome: str) -> dict[str, Any]:
    """The state when the BRP did not answer with the person: the consulent types it all."""
    return {
        "bsn": bsn,
        "source": ResidentSource.MANUAL,
        "outcome": outcome,
        # the leefvorm is chosen, not preset: "Alleenstaand" stood preselected and sets the
        # norm (the walk of 3 December, night)
        "initial": {"household_type": "", "children_count": 0},
        "locked": [],
        "partners": [],
        "partner": None,
        "children": [],
        "registered_in": None,
    }
