"""The new application (aanvraag) in the browser: BSN -> caseload or BRP -> resident, household
and application. The BSN travels in POST bodies and the session only, never in a URL. Then the
decision on it from the dossier ("Aanvraag beslissen"): a grant opens the benefit."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apiauth.throttling import BsnSearchThrottle
from caseload import selectors as caseload_selectors
from caseload import services as caseload_services
from caseload.models import Application, Regime
from caseload.permissions import CaseloadPermission
from caseload.services import BsnCheckRefused
from caseload.templatetags.caseload_tags import dmy
from common import clock
from common.exceptions import DomainError
from common.form_views import form_render, form_submit
from privacy.context import note_residents
from privacy.decorators import processing_logged
from privacy.log import processing_record_write
from privacy.models import Action, Purpose
from privacy.pseudonym import person_pseudonym

from . import prefill, selectors, services
from .brp.client import BrpClient, BrpError, BrpNotFound, BrpUnavailable
from .forms import (
    ApplicationDecideForm,
    ApplicationNewForm,
    ApplicationRegisterForm,
    BsnStartForm,
)

SESSION_KEY = "registers.new_application"

OUTCOME_REASONS = {
    "found": "BRP-raadpleging voor een nieuwe aanvraag: persoon gevonden",
    "not_found": "BRP-raadpleging voor een nieuwe aanvraag: niet gevonden",
    "unavailable": "BRP-raadpleging voor een nieuwe aanvraag: BRP niet bereikbaar",
    "error": "BRP-raadpleging voor een nieuwe aanvraag: BRP weigerde de vraag",
    "other_municipality": (
        "BRP-raadpleging voor een nieuwe aanvraag: ingeschreven in een andere gemeente"
    ),
}


def _team_member(request) -> None:
    """Registering needs a team: the resident joins the registering user's team."""
    if not request.user.team_id:
        raise PermissionDenied


def _relatives_shown(state: dict[str, Any]) -> list[str]:
    """The BSNs of the partners and children a BRP answer shows (their names and birth dates
    are on the page; the partner's BSN is kept for step 2)."""
    people = [*state.get("partners", []), *state.get("children", [])]
    return [p["bsn"] for p in people if p.get("bsn")]


def _log_brp_consultation(request, outcome: str, bsn: str, relatives: list[str]) -> None:
    """A BRP consultation is a processing of personal data (purpose: the Participatiewet's
    service). The person is not a resident (yet): the record names them by the pseudonym of
    their BSN (``privacy.pseudonym.person_pseudonym``), which the privacy officer's search by
    BSN finds and their log shows once registered (security review of 3 December, finding 4:
    it named nobody); the registration's own record names the residents it creates."""
    processing_record_write(
        user=request.user,
        action=Action.SEARCH,
        object_type="brp_persoon",
        purpose=Purpose.SERVICE,
        reason=OUTCOME_REASONS[outcome],
        # and every relative the answer shows (the re-review of 3 December: a partner shown
        # from the BRP could not be found by their BSN)
        subjects=[person_pseudonym(n) for n in [bsn, *relatives]],
    )


def _log_registration_check(request, resident_id: int) -> None:
    processing_record_write(
        user=request.user,
        action=Action.SEARCH,
        object_type="resident",
        purpose=Purpose.REGISTRATION_CHECK,
        resident_ids=[resident_id],
    )


@login_required
@permission_required(CaseloadPermission.CHANGE_DOSSIER, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
@processing_logged(object_type="resident", action=Action.SEARCH, only_methods=("POST",))
def start(request):
    """Step 1: the BSN. In the user's scope: that dossier. Elsewhere: a neutral refusal.
    Unknown: a BRP look-up, then step 2."""
    _team_member(request)
    if request.method != "POST":
        # a new start: an earlier unfinished registration's BSN and BRP answer leave the
        # session now instead of at its expiry (security review of 3 December)
        request.session.pop(SESSION_KEY, None)
    form = BsnStartForm(request.POST or None)
    not_found = False
    wait = None
    if request.method == "POST" and form.is_valid() and (wait := _bsn_check_wait(request)):
        # the same limit as the API's BSN search and registration (issue 12, finding 5): the
        # three answers below tell whether a BSN is a resident here and show BRP data
        form.add_error("bsn", _too_many_checks(wait))
    elif request.method == "POST" and form.is_valid():
        bsn = form.cleaned_data["bsn"]
        found = selectors.resident_in_scope(user=request.user, bsn=bsn)
        if found is not None:
            request.session.pop(SESSION_KEY, None)
            note_residents([found])
            messages.info(
                request,
                _(
                    "Deze inwoner is al geregistreerd. U ziet het dossier; een nieuwe aanvraag "
                    "registreert u hier met Nieuwe aanvraag."
                ),
            )
            return redirect("caseload:dossier", resident_id=found)
        elsewhere = selectors.resident_anywhere(bsn=bsn)
        if elsewhere is not None:
            _log_registration_check(request, elsewhere)
            form.add_error(
                "bsn",
                _(
                    "Deze inwoner kan hier niet worden geregistreerd. Neem contact op met "
                    "functioneel beheer."
                ),
            )
        else:
            state, outcome = _brp_lookup(bsn)
            elsewhere_registered = _residence_problem(request, state)
            if elsewhere_registered is not None:
                outcome = "other_municipality"
            _log_brp_consultation(request, outcome, bsn, _relatives_shown(state))
            if elsewhere_registered is not None:
                # the woonplaatsbeginsel: the person's own municipality decides (art. 40 Pw)
                request.session.pop(SESSION_KEY, None)
                form.add_error("bsn", elsewhere_registered.message)
            else:
                request.session[SESSION_KEY] = state
            if outcome == "found":
                messages.info(
                    request,
                    _("Gevonden in de BRP. Controleer de gegevens en vul de aanvraag aan."),
                )
                return redirect("registers:register")
            elif outcome == "not_found":
                not_found = True
                form.add_error(
                    "bsn",
                    _(
                        "Niet gevonden: de BRP kent geen persoon met dit BSN. Controleer het "
                        "nummer, of registreer de inwoner met de hand."
                    ),
                )
            elif outcome in ("unavailable", "error"):
                messages.warning(
                    request,
                    _(
                        "De BRP is nu niet bereikbaar. Registreer de inwoner met de hand; het "
                        "dossier vermeldt dat de gegevens niet uit de BRP komen."
                    )
                    if outcome == "unavailable"
                    else _(
                        "De BRP gaf geen bruikbaar antwoord. Registreer de inwoner met de hand; "
                        "het dossier vermeldt dat de gegevens niet uit de BRP komen."
                    ),
                )
                return redirect("registers:register")
    status = (429 if wait else 422) if request.method == "POST" else 200
    response = render(
        request, "registers/start.html", {"form": form, "not_found": not_found}, status=status
    )
    if wait:
        response["Retry-After"] = str(wait)
    return response


def _residence_problem(request, state: dict[str, Any]) -> DomainError | None:
    """The refusal when the BRP registers the person in another municipality than the user's."""
    registered = state.get("registered_in") or {}
    return services.residence_problem(
        municipality=request.user.team.municipality,
        registered_in=registered.get("code", ""),
        registered_in_name=registered.get("name", ""),
    )


def _too_many_checks(wait: int) -> str:
    return _(
        "U heeft kort na elkaar te veel BSN's gecontroleerd. Probeer het over %(seconds)s "
        "seconden opnieuw."
    ) % {"seconds": wait}


def _bsn_check_wait(request) -> int | None:
    """None when the user may check another BSN now; else the seconds to wait. The counter is
    the API's BSN-search counter of the same user (``apiauth.throttling.BsnSearchThrottle``),
    so the page and the user's session calls to the API share one limit (a key counts on its
    own); without Redis it fails closed (a 503 page)."""
    throttle = BsnSearchThrottle()
    if throttle.allow_request(request, None):
        return None
    return max(1, math.ceil(throttle.wait() or 1))


def _brp_lookup(bsn: str) -> tuple[dict[str, Any], str]:
    try:
        person = BrpClient().person(bsn=bsn)
    except BrpNotFound:
        return prefill.state_by_hand(bsn=bsn, outcome="not_found"), "not_found"
    except BrpUnavailable:
        return prefill.state_by_hand(bsn=bsn, outcome="unavailable"), "unavailable"
    except BrpError:
        return prefill.state_by_hand(bsn=bsn, outcome="error"), "error"
    return prefill.state_from_brp(bsn=bsn, person=person, today=clock.today()), "found"


def _initial(state: dict[str, Any]) -> dict[str, Any]:
    initial = dict(state["initial"])
    for name in ("birth_date",):
        if initial.get(name):
            initial[name] = dt.date.fromisoformat(initial[name])
    initial["bsn"] = state["bsn"]
    initial.setdefault("received_on", clock.today())
    initial.setdefault("regime", "pw")
    initial["register_partner"] = state.get("partner") is not None
    return initial


@login_required
@permission_required(CaseloadPermission.CHANGE_DOSSIER, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
@processing_logged(object_type="resident", write_action=Action.CREATE, only_methods=("POST",))
def register(request):
    """Step 2: check or type the details, then register resident, household and application."""
    _team_member(request)
    state = request.session.get(SESSION_KEY)
    if not state:
        messages.info(request, _("Begin een nieuwe aanvraag met het BSN."))
        return redirect("registers:start")
    form = ApplicationRegisterForm(
        request.POST if request.method == "POST" else None,
        initial=_initial(state),
        locked=tuple(state["locked"]),
        has_partner=state.get("partner") is not None,
        by_hand=state["source"] != "brp",
        applicant_bsn=state["bsn"],
    )
    status = 200
    wait = None
    if request.method == "POST":
        if form.is_valid() and form.partner_details() is not None:
            # a partner typed by hand is a BSN check like step 1's, under the same limit
            # (security review of 3 December, finding 1: unlimited, it told for any number of
            # BSNs whether each is a resident of some municipality)
            wait = _bsn_check_wait(request)
        if wait:
            form.add_error("partner_bsn", _too_many_checks(wait))
        elif form.is_valid():
            try:
                application = _register(request, state, form)
            except DomainError as exc:
                # the applicant's check, or the partner's (raised from it): a BSN search
                check = exc if isinstance(exc, BsnCheckRefused) else exc.__cause__
                if isinstance(check, BsnCheckRefused):
                    _log_registration_check(request, check.resident_id)
                if exc.field == "register_partner" and form.by_hand:
                    form.add_error("partner_bsn", exc.message)  # the partner typed by hand
                else:
                    form.add_domain_error(exc)
            else:
                request.session.pop(SESSION_KEY, None)
                members = list(application.resident.household.members.values_list("pk", flat=True))
                note_residents(members)
                messages.success(request, _("De inwoner en de aanvraag zijn geregistreerd."))
                return redirect("caseload:dossier", resident_id=application.resident_id)
        status = 429 if wait else 422
    response = render(
        request,
        "registers/register.html",
        {"form": form, "state": state, "from_brp": state["source"] == "brp"},
        status=status,
    )
    if wait:
        response["Retry-After"] = str(wait)
    return response


def _register(request, state: dict[str, Any], form: ApplicationRegisterForm):
    data = form.cleaned_data
    partner = state.get("partner")
    partner_details = None
    typed = form.partner_details()
    if typed is not None:
        partner_details = services.PersonDetails(**typed)
    elif partner and data.get("register_partner"):
        partner_details = services.PersonDetails(
            bsn=partner["bsn"],
            first_name=partner["first_name"],
            name_prefix=partner["name_prefix"],
            last_name=partner["last_name"],
            birth_date=dt.date.fromisoformat(partner["birth_date"]),
        )
    user = request.user
    return services.new_application_register(
        team=user.team,
        consulent=user if user.role == "consulent" else None,
        applicant=services.PersonDetails(
            bsn=state["bsn"],
            first_name=data["first_name"],
            name_prefix=data["name_prefix"],
            last_name=data["last_name"],
            birth_date=data["birth_date"],
        ),
        partner=partner_details,
        address=services.AddressDetails(
            street=data["street"],
            house_number=data["house_number"],
            postcode=data["postcode"],
            city=data["city"],
            registered_in=(state.get("registered_in") or {}).get("code", ""),
            registered_in_name=(state.get("registered_in") or {}).get("name", ""),
        ),
        household_type=data["household_type"],
        children_count=data["children_count"],
        received_on=data["received_on"],
        regime=data["regime"],
        source=state["source"],
        # in demo mode every person is fictional (the simulator's BRP too)
        is_fake=settings.DEMO_MODE,
    )


@login_required
@permission_required(CaseloadPermission.CHANGE_DOSSIER, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
@processing_logged(write_action=Action.UPDATE)
def application_new(request, resident_id: int):
    """ "Nieuwe aanvraag" on the dossier: a new application of a resident who is registered
    already (a returning client; the walk of 3 December found none possible), by
    ``caseload.services.application_register``; then "Aanvraag beslissen" as for a first one."""
    resident = caseload_selectors.resident_get(user=request.user, resident_id=resident_id)
    form = ApplicationNewForm(
        request.POST if request.method == "POST" else None,
        resident=resident,
        initial={"received_on": clock.today(), "regime": Regime.ALGEMENE_BIJSTAND},
    )
    return form_submit(
        request,
        form,
        save=lambda data: caseload_services.application_register(
            resident=resident, received_on=data["received_on"], regime=data["regime"]
        ),
        success=lambda _application: _("De aanvraag is geregistreerd: in behandeling."),
        done=lambda _application: redirect("caseload:dossier", resident_id=resident.pk),
    ) or form_render(
        request,
        "caseload/action_form.html",
        form,
        {
            "resident": resident,
            "title": _("Nieuwe aanvraag"),
            "intro": _(
                "Voor een inwoner die al bekend is, bijvoorbeeld na een eerdere uitkering. De "
                "gegevens van de inwoner en het huishouden staan in het dossier; controleer ze "
                "daar. Daarna beslist u de aanvraag met Aanvraag beslissen."
            ),
            "submit_label": _("Aanvraag registreren"),
        },
    )


@login_required
@permission_required(CaseloadPermission.CHANGE_DOSSIER, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
@processing_logged(write_action=Action.UPDATE)
def application_decide(request, resident_id: int):
    """The decision from the dossier ("Aanvraag beslissen"): the outcome of an application in
    behandeling, by ``caseload.services.application_decide`` (the API's decide, with its
    permission). A resident out of the user's scope answers as every dossier page does."""
    resident = caseload_selectors.resident_get(user=request.user, resident_id=resident_id)
    applications = caseload_selectors.applications_to_decide(resident=resident)
    only = applications[0] if len(applications) == 1 else None
    form = ApplicationDecideForm(
        request.POST if request.method == "POST" else None,
        applications=applications,
        initial={
            "application": only,
            "decided_on": clock.today(),
            "benefit_start": only.received_on if only else None,
        },
    )
    return form_submit(
        request,
        form,
        save=lambda data: caseload_services.application_decide(
            application=data["application"],
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            benefit_start=data["benefit_start"],
        ),
        success=_decided_message,
        done=lambda _application: redirect("caseload:dossier", resident_id=resident.pk),
    ) or form_render(
        request,
        "caseload/action_form.html",  # the dossier's form page
        form,
        {
            "resident": resident,
            "title": _("Aanvraag beslissen"),
            "intro": _(
                "Bij toekennen gaat de uitkering in de regeling van de aanvraag in voor het "
                "huishouden van de aanvrager, op de ingangsdatum. Daarna kunt u onder meer "
                "uitstroom vastleggen."
            ),
            "submit_label": _("Besluit vastleggen"),
            "blocked": None
            if applications
            else _(
                "Deze inwoner heeft geen aanvraag in behandeling. Een melding bij het einde van "
                "de WW legt u vast op de pagina Preventie einde WW."
            ),
        },
    )


def _decided_message(application: Application) -> str:
    if application.benefit is not None:
        start = application.benefit.start_date
        return _("De aanvraag is toegekend. De uitkering gaat in op %(date)s.") % {
            "date": dmy(start)
        }
    return _("Het besluit is vastgelegd: %(outcome)s.") % {
        "outcome": str(application.get_outcome_display()).lower()
    }
