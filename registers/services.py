"""The new application (aanvraag) in one step: household, applicant (and partner) and the
application, all through ``caseload.services``, all or nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from caseload import selectors as caseload_selectors
from caseload import services as caseload_services
from caseload.models import Application, HouseholdRole, Municipality, Resident, Team, User
from common.exceptions import DomainError


@dataclass(frozen=True)
class PersonDetails:
    bsn: str
    first_name: str
    name_prefix: str
    last_name: str
    birth_date: dt.date


@dataclass(frozen=True)
class AddressDetails:
    street: str
    house_number: str
    postcode: str
    city: str
    #: the municipality whose BRP register holds the person (``gemeenteVanInschrijving``:
    #: ``GM0402`` and its name); empty when the details were typed by hand
    registered_in: str = ""
    registered_in_name: str = ""


def residence_problem(
    *, municipality: Municipality, registered_in: str, registered_in_name: str = ""
) -> DomainError | None:
    """The woonplaatsbeginsel (art. 40 Participatiewet): the college of the municipality where
    a person lives (is registered in the BRP) decides on their application. A person the BRP
    registers in another municipality is not registered here; None when it is this municipality
    or the BRP did not say (``registered_in`` empty)."""
    if not registered_in or registered_in == municipality.cbs_code:
        return None
    where = registered_in_name or f"een andere gemeente (gemeentecode {registered_in[2:]})"
    return DomainError(
        f"Deze persoon staat in de BRP ingeschreven in {where}; een aanvraag hoort bij de "
        "gemeente waar iemand woont (art. 40 Participatiewet). Er is niets geregistreerd: "
        "verwijs de aanvrager naar die gemeente.",
        code="other_municipality",
        field="bsn",
    )


@transaction.atomic
def new_application_register(
    *,
    team: Team,
    consulent: User | None,
    applicant: PersonDetails,
    partner: PersonDetails | None,
    address: AddressDetails,
    household_type: str,
    children_count: int,
    received_on: dt.date,
    regime: str,
    source: str,
    is_fake: bool,
) -> Application:
    """Register household, applicant, partner (when given) and the application.

    ``source`` says where the personal details came from (``ResidentSource``: uit BRP or met de
    hand). A refusal of any step (a BSN registered already, a date in the future) rolls all of
    it back; a refusal about the partner names the field ``register_partner``. The leefvorm
    must fit the number of minor children; the district (wijk) follows from the postcode when
    the municipality's households place its digits in one district. A person the BRP registers
    in another municipality is refused (:func:`residence_problem`)."""
    problem = residence_problem(
        municipality=team.municipality,
        registered_in=address.registered_in,
        registered_in_name=address.registered_in_name,
    )
    if problem is not None:
        raise problem
    for problem in caseload_services.household_composition_problems(
        household_type=household_type, children_count=children_count
    ):
        if problem is not None:
            raise problem
    # the application's own rules (the melding's date, the applicant's age) before any BSN is
    # checked: a registration refused anyway must not first answer whether the partner's BSN
    # is a resident somewhere (security review of 3 December, finding 1). A new applicant has
    # no application or benefit yet, so the rules per regeling are not asked here.
    for problem in [
        *caseload_services.birth_date_problems(birth_date=applicant.birth_date),
        *caseload_services.application_register_problems(
            resident=Resident(birth_date=applicant.birth_date), received_on=received_on, regime=None
        ),
        *(
            []
            if partner is None
            else caseload_services.birth_date_problems(
                birth_date=partner.birth_date, field="register_partner"
            )
        ),
    ]:
        if problem is not None:
            raise problem
    household = caseload_services.household_create(
        municipality_id=team.municipality_id,
        household_type=household_type,
        street=address.street,
        house_number=address.house_number,
        postcode=address.postcode,
        city=address.city,
        district_id=caseload_selectors.district_for_postcode(
            municipality_id=team.municipality_id, postcode=address.postcode
        ),
        children_count=children_count,
    )
    resident = caseload_services.resident_register(
        household=household,
        team=team,
        consulent=consulent,
        bsn=applicant.bsn,
        first_name=applicant.first_name,
        name_prefix=applicant.name_prefix,
        last_name=applicant.last_name,
        birth_date=applicant.birth_date,
        household_role=HouseholdRole.APPLICANT,
        is_fake=is_fake,
        source=source,
    )
    if partner is not None:
        try:
            caseload_services.resident_register(
                household=household,
                team=team,
                consulent=consulent,
                bsn=partner.bsn,
                first_name=partner.first_name,
                name_prefix=partner.name_prefix,
                last_name=partner.last_name,
                birth_date=partner.birth_date,
                household_role=HouseholdRole.PARTNER,
                is_fake=is_fake,
                source=source,
            )
        except caseload_services.BsnCheckRefused as exc:
            raise DomainError(
                "De partner is al als inwoner geregistreerd. Registreer de aanvraag zonder "
                "partner en neem contact op met functioneel beheer.",
                code=exc.code,
                field="register_partner",
            ) from exc
    return caseload_services.application_register(
        resident=resident, received_on=received_on, regime=regime
    )
