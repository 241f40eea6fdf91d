"""Reads of the matching. Dossier parts go through ``caseload.selectors.resident_get`` (scope,
break-the-glass, the access hook); candidate lists are scoped to the municipalities the user
works for (staff in a team: their team's; the account manager: the region). Permissions are
checked by the caller."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from caseload.models import Benefit, GroupAssignment, Resident, User
from caseload.selectors import resident_get
from common import clock
from employers.models import Vacancy
from intake.models import Intake
from intake.selectors import intake_latest_completed

from . import ranking
from .calculations import ProfileFacts, profile_missing
from .models import Consent, ConsentScope, Placement, Profile, Proposal, ProposalStatus


def municipality_ids(user: User) -> list[int] | None:
    """The municipalities a candidate list covers; None: the whole region."""
    if user.is_superuser:
        return None
    if user.team is not None:
        return [user.team.municipality_id]
    bound = getattr(user, "municipality_id", None)  # a login bound to one municipality (#17)
    return [bound] if bound is not None else None


def scope_ids(user: User, bound_municipality_id: int | None = None) -> list[int] | None:
    """:func:`municipality_ids`, narrowed to ``bound_municipality_id`` for an API key bound to a
    municipality (``apiauth.selectors.request_bound_municipality_id``); None: the whole region.
    The one rule for the candidate list, the proposals and the placements."""
    ids = municipality_ids(user)
    if bound_municipality_id is not None:
        ids = [pk for pk in (ids or [bound_municipality_id]) if pk == bound_municipality_id]
    return ids


def profile_of(resident: Resident) -> Profile | None:
    return (
        Profile.objects.filter(resident=resident)
        .prefetch_related("sought__occupation", "experience__occupation")
        .first()
    )


def profile_missing_of(profile: Profile | None) -> list[str]:
    if profile is None:
        return profile_missing(
            ProfileFacts(
                sought_count=0,
                experience_count=0,
                no_work_experience=False,
                driving_licence=None,
                travel_range_km=None,
                hours_available=None,
            )
        )
    return profile_missing(
        ProfileFacts(
            sought_count=len(profile.sought.all()),
            experience_count=len(profile.experience.all()),
            no_work_experience=profile.no_work_experience,
            driving_licence=profile.driving_licence,
            travel_range_km=profile.travel_range_km,
            hours_available=profile.hours_available,
        )
    )


@dataclass
class ProfilePage:
    resident: Resident
    profile: Profile | None
    missing: list[str]
    intake: Intake | None
    group: GroupAssignment | None
    consents: list[Consent]
    proposals: list[Proposal] = field(default_factory=list)

    @property
    def active_consent(self) -> Consent | None:
        return next((c for c in self.consents if c.is_active), None)

    @property
    def barriers(self) -> list[str]:
        if self.intake is None:
            return []
        from intake.models import Barrier

        return [str(Barrier(k).label) for k, v in self.intake.barrier_flags().items() if v]


def profile_page(*, user: User, resident_id: int, offer_break_glass: bool = False) -> ProfilePage:
    """The profile with what the intake knows (read, not copied), consents and proposals.
    ``offer_break_glass``: pages that read (not the forms that write) ask for a reason outside
    the user's team, like the dossier."""
    resident = resident_get(user=user, resident_id=resident_id, offer_break_glass=offer_break_glass)
    profile = profile_of(resident)
    return ProfilePage(
        resident=resident,
        profile=profile,
        missing=profile_missing_of(profile),
        intake=intake_latest_completed(resident=resident),
        group=GroupAssignment.objects.filter(resident=resident, ended_on__isnull=True).first(),
        consents=list(Consent.objects.filter(resident=resident, scope=ConsentScope.PROPOSE)),
        proposals=list(proposals_of_resident(resident=resident)),
    )


def proposals_of_resident(*, resident: Resident) -> QuerySet[Proposal]:
    return Proposal.objects.filter(resident=resident).select_related(
        "vacancy__employer", "vacancy__occupation", "placement__outflow"
    )


def consent_get(*, user: User, resident_id: int, consent_id: int) -> Consent:
    resident = resident_get(user=user, resident_id=resident_id)
    return Consent.objects.get(pk=consent_id, resident=resident)


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------


def candidates_for_vacancy(
    *,
    user: User,
    vacancy: Vacancy,
    only_group_12: bool = False,
    only_banenafspraak: bool = False,
    only_within_range: bool = False,
    limit: int = 50,
    bound_municipality_id: int | None = None,
) -> list[ranking.Match]:
    """Ranked candidates of one vacancy (one statement over the candidate facts,
    ``matching.facts``; consent joined live). Only residents with consent: the account manager
    never sees anyone who did not agree to be proposed. An API key bound to a municipality
    (``bound_municipality_id``) narrows the user's municipalities to that one."""
    ids = scope_ids(user, bound_municipality_id)
    return ranking.rank_from_facts(
        vacancy_id=vacancy.pk,
        municipality_ids=ids,
        only_group_12=only_group_12,
        only_banenafspraak=only_banenafspraak,
        only_within_range=only_within_range,
        limit=limit,
    )


def vacancies_for_resident(
    *,
    user: User,
    resident: Resident,
    only_consented: bool = False,
    only_banenafspraak: bool = False,
    only_within_range: bool = False,
    limit: int = 50,
) -> list[ranking.Match]:
    """Ranked open vacancies for one resident (one statement); ``only_banenafspraak``: the
    vacancies suitable for the banenafspraak; ``only_within_range``: within the resident's
    travel range (``ranking.WITHIN_RANGE``)."""
    ids = None if user.is_superuser else [resident.municipality_id]
    matches = ranking.rank(
        ranking.VACANCY_PAIRS,
        {"resident_id": resident.pk, "municipality_ids": ids},
        require_consent=only_consented,
        only_banenafspraak_vacancies=only_banenafspraak,
        only_within_range=only_within_range,
        order_by="score DESC, t.vacancy_id",
        limit=limit,
    )
    return matches


def vacancies_by_id(ids: list[int]) -> dict[int, Vacancy]:
    return {
        v.pk: v for v in Vacancy.objects.filter(pk__in=ids).select_related("employer", "occupation")
    }


def _is_team_staff(user: User) -> bool:
    return user.team_id is not None and not user.is_superuser


def _scope(
    user: User,
    bound_municipality_id: int | None = None,
    *,
    through: str = "",
    residents: QuerySet[Resident] | None = None,
) -> Q:
    """The one rule for proposals (and, ``through="proposal__"``, their placements): staff in
    a team (a teamleider, a consulent) see those of their own team's residents only
    (``residents``, default the residents they may see), as they see those residents' dossiers
    only (docs/security.md); every caller sees those of residents of the municipalities they work
    for only (:func:`scope_ids`: an account manager bound to a municipality, an API key bound to
    one), whoever's vacancy it is. Row-level security is the second fence, not the first."""
    rule = Q()
    if _is_team_staff(user):
        visible = residents if residents is not None else Resident.objects.visible_to(user)
        rule &= Q(**{f"{through}resident__in": visible})
    ids = scope_ids(user, bound_municipality_id)
    if ids is not None:
        rule &= Q(**{f"{through}resident__municipality_id__in": ids})
    return rule


def _proposals_visible_to(
    user: User, qs: QuerySet[Proposal], bound_municipality_id: int | None = None
) -> QuerySet[Proposal]:
    return qs.filter(_scope(user, bound_municipality_id))


def _placements_visible_to(
    user: User, qs: QuerySet[Placement], bound_municipality_id: int | None = None
) -> QuerySet[Placement]:
    return qs.filter(_scope(user, bound_municipality_id, through="proposal__"))


def proposals_of_vacancy(*, user: User, vacancy: Vacancy) -> QuerySet[Proposal]:
    return _proposals_visible_to(
        user,
        Proposal.objects.filter(vacancy=vacancy)
        .select_related("resident", "proposed_by")
        .prefetch_related(Prefetch("placement", queryset=Placement.objects.all()))
        .order_by("-proposed_on", "-pk"),
    )


def proposals_of_vacancy_elsewhere(*, user: User, vacancy: Vacancy) -> int:
    """How many proposals of the vacancy are for residents the user does not see (no names)."""
    every = Proposal.objects.filter(vacancy=vacancy)
    return every.count() - _proposals_visible_to(user, every).count()


def proposal_get(
    *,
    user: User,
    pk: int,
    vacancies: QuerySet[Vacancy],
    bound_municipality_id: int | None = None,
) -> Proposal:
    return _proposals_visible_to(
        user,
        Proposal.objects.select_related("vacancy__employer", "resident"),
        bound_municipality_id,
    ).get(pk=pk, vacancy__in=vacancies)


def placements_due(
    *, user: User, vacancies: QuerySet[Vacancy], today: dt.date | None = None
) -> list[dict]:
    """Every placement the user may see (:func:`_placements_visible_to`) with its 6- and
    12-month durability check: the open ones first (a check whose date has passed without an
    outcome), then by start date. ``six_late`` / ``twelve_late``: the date has passed and the
    nightly check could not tell (a partial outflow waits for that month's payment; a benefit
    ended for another reason than work stays unknown), so the page says "niet vastgesteld"
    rather than "nog niet bekend" (the walk of 3 December read "15-7-2024: nog niet bekend" at
    the bottom of the list)."""
    today = today or clock.today()
    rows = []
    qs = _placements_visible_to(
        user,
        Placement.objects.filter(proposal__vacancy__in=vacancies).select_related(
            "outflow", "proposal__vacancy__employer", "proposal__resident"
        ),
    )
    for p in qs.order_by("start_date", "pk"):
        six = _add_months(p.start_date, 6)
        twelve = _add_months(p.start_date, 12)
        rows.append(
            {
                "placement": p,
                "six_due": six,
                "six_result": p.outflow.still_off_benefit_6m,
                "twelve_due": twelve,
                "twelve_result": p.outflow.still_off_benefit_12m,
                "six_late": six <= today and p.outflow.still_off_benefit_6m is None,
                "twelve_late": twelve <= today and p.outflow.still_off_benefit_12m is None,
            }
        )
        rows[-1]["open"] = rows[-1]["six_late"] or rows[-1]["twelve_late"]
    rows.sort(key=lambda r: not r["open"])  # stable: by start date within each part
    return rows


def _add_months(d: dt.date, months: int) -> dt.date:
    month = d.month - 1 + months
    year = d.year + month // 12
    month = month % 12 + 1
    import calendar

    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def proposals_open_count(*, vacancies: QuerySet[Vacancy]) -> int:
    return Proposal.objects.filter(vacancy__in=vacancies, status=ProposalStatus.PROPOSED).count()


def match_score(*, vacancy: Vacancy, profile: Profile) -> Decimal | None:
    """The score of one pair (kept with a proposal), by the same statement."""
    matches = ranking.rank(
        "SELECT %(vacancy_id)s::bigint AS vacancy_id, %(profile_id)s::bigint AS profile_id",
        {"vacancy_id": vacancy.pk, "profile_id": profile.pk},
        require_consent=False,
        limit=1,
    )
    return matches[0].score if matches else None


def profile_for_proposal(
    *, user: User, profile_id: int, bound_to: int | None = None
) -> Profile | None:
    """The profile a user may propose: a resident in their scope (staff in a team), or any
    resident with an active consent (scope "voorstellen aan werkgevers", not withdrawn) of the
    municipalities the user works for (:func:`municipality_ids`: the whole region for an
    account manager bound to none), and of ``bound_to`` only for an API key bound to a
    municipality. For staff in a team the service checks the consent (the page says why it
    refuses); for the others a resident without consent has no profile to propose (None: a
    404 like a profile that does not exist, so the answer does not tell who did not consent).
    Row-level security is the second fence, not the first (issue 17)."""
    qs = Profile.objects.select_related("resident")
    if _is_team_staff(user):
        qs = qs.filter(resident__in=Resident.objects.visible_to(user))
    else:
        # who may not be proposed is none of their business: without consent the profile is
        # not there for them (a 404, as for a profile that does not exist), not a refusal
        qs = qs.filter(Exists(_active_consent(OuterRef("resident_id"))))
    ids = municipality_ids(user)
    if ids is not None:
        qs = qs.filter(resident__municipality_id__in=ids)
    if bound_to is not None:
        qs = qs.filter(resident__municipality_id=bound_to)
    return qs.filter(pk=profile_id).first()


def _active_consent(resident_id) -> QuerySet[Consent]:
    return Consent.objects.filter(
        resident_id=resident_id, scope=ConsentScope.PROPOSE, withdrawn_at__isnull=True
    )


def incomplete_profiles(*, user: User) -> QuerySet[Resident]:
    """Residents in the user's scope with a running benefit and no complete profile: the
    worklist filter "profiel onvolledig" (one query)."""
    running = Benefit.objects.filter(household_id=OuterRef("household_id"), end_date__isnull=True)
    complete = Profile.objects.filter(resident_id=OuterRef("pk"), completed_on__isnull=False)
    qs = (
        Resident.objects.visible_to(user)
        .filter(Exists(running))
        .exclude(Exists(complete))
        .select_related("consulent", "matching_profile")
    )
    if user.role == "consulent":
        qs = qs.filter(Q(consulent=user) | Q(consulent__isnull=True))
    return qs.order_by("last_name", "first_name", "pk")


# --------------------------------------------------------------------------------------------
# The API (matching.api)
# --------------------------------------------------------------------------------------------


def consents_of(*, resident: Resident) -> QuerySet[Consent]:
    return Consent.objects.filter(resident=resident, scope=ConsentScope.PROPOSE)


def consent_active(*, resident: Resident) -> Consent | None:
    return consents_of(resident=resident).filter(withdrawn_at__isnull=True).first()


def proposals_visible_to(
    *,
    user: User,
    vacancies: QuerySet[Vacancy],
    residents: QuerySet[Resident],
    bound_municipality_id: int | None = None,
) -> QuerySet[Proposal]:
    """Staff in a team (the consulent): the proposals of the residents they may see; the
    account manager (no team): the proposals at the vacancies they may see, of residents of the
    municipalities they work for (:func:`scope_ids`, narrowed by a key's bound municipality)."""
    qs = Proposal.objects.select_related("placement")
    if not _is_team_staff(user):
        qs = qs.filter(vacancy__in=vacancies)
    return qs.filter(_scope(user, bound_municipality_id, residents=residents))


def placements_visible_to(
    *, user: User, vacancies: QuerySet[Vacancy], bound_municipality_id: int | None = None
) -> QuerySet[Placement]:
    """The placements at the vacancies the caller may see, of residents in their scope
    (:func:`_placements_visible_to`)."""
    return _placements_visible_to(
        user,
        Placement.objects.filter(proposal__vacancy__in=vacancies).select_related(
            "outflow", "proposal"
        ),
        bound_municipality_id,
    )
