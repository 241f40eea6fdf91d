"""Reads of the employer services, scoped to the municipalities the user works for.

Staff in a team (consulenten, teamleiders) see the employers and vacancies of their team's
municipality; the other roles that hold the permission (the account manager of the
werkgeversservicepunt, functioneel beheer) work for every municipality of the installation, as
``caseload.selectors.municipality_for`` has it. A connected system (service account) sees its own
municipality's; a key bound to a municipality narrows to that one. Permissions are checked by the
caller (views, API): these functions scope, they do not authorise.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from caseload.models import Role, User

from .models import Employer, Occupation, Vacancy, VacancyStatus


def sees_whole_region(user: User) -> bool:
    """The user's scope is every municipality (an account manager bound to none, the
    superuser): figures over the whole region are theirs to see."""
    return _municipality_ids(user) is None


def _municipality_ids(user: User) -> list[int] | None:
    """The municipality ids ``user`` is limited to; None: every municipality."""
    if user.is_superuser:
        return None
    if user.team is not None:
        return [user.team.municipality_id]
    if user.municipality_id is not None:  # an account of one municipality (issue 17)
        return [user.municipality_id]
    try:
        account = user.service_account
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist: a person, not a system
        account = None
    if account is not None:
        return [account.municipality_id]
    return None


def employers_visible_to(user: User, *, municipality_id: int | None = None) -> QuerySet[Employer]:
    if not user.is_authenticated or not user.is_active:
        return Employer.objects.none()
    qs = Employer.objects.all()
    ids = _municipality_ids(user)
    if ids is not None:
        qs = qs.filter(municipality_id__in=ids)
    if municipality_id is not None:
        qs = qs.filter(municipality_id=municipality_id)
    return qs


def vacancies_visible_to(user: User, *, municipality_id: int | None = None) -> QuerySet[Vacancy]:
    employers = employers_visible_to(user, municipality_id=municipality_id)
    return Vacancy.objects.filter(employer__in=employers)


def employer_list(*, user: User, query: str = "") -> QuerySet[Employer]:
    """The employer list: name or KvK number contains ``query``; with the number of open
    vacancies and the municipality, in one query."""
    qs = employers_visible_to(user).select_related("municipality", "account_manager")
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(kvk_number__startswith=query))
    return qs.annotate(
        open_vacancies=Count("vacancies", filter=Q(vacancies__status=VacancyStatus.OPEN))
    ).order_by("name", "pk")


def employer_get(*, user: User, pk: int) -> Employer:
    """One employer the user may see (``Employer.DoesNotExist`` otherwise: the caller's 404)."""
    return (
        employers_visible_to(user)
        .select_related("municipality", "account_manager")
        .prefetch_related("locations", "contacts", "commitments")
        .get(pk=pk)
    )


def employer_vacancies(*, employer: Employer) -> QuerySet[Vacancy]:
    return employer.vacancies.select_related("occupation").order_by("-opened_on", "-pk")


def vacancy_get(*, user: User, pk: int) -> Vacancy:
    return (
        vacancies_visible_to(user)
        .select_related("employer", "employer__municipality", "occupation")
        .get(pk=pk)
    )


def vacancy_worklist(*, user: User, only_mine: bool = False) -> QuerySet[Vacancy]:
    """Open vacancies, soonest start first: the account manager's worklist (one query). With
    each its match summary of the nightly refresh (``match_summary``, the matching's
    ``VacancyMatchSummary``: candidates and new in the top 10), joined by its relation name so
    that ``employers`` imports nothing of ``matching``."""
    qs = vacancies_visible_to(user).filter(status=VacancyStatus.OPEN)
    if only_mine:
        qs = qs.filter(employer__account_manager=user)
    return qs.select_related(
        "employer",
        "employer__municipality",
        "employer__account_manager",
        "occupation",
        "match_summary",
    ).order_by("start_date", "pk")


def occupations() -> QuerySet[Occupation]:
    return Occupation.objects.order_by("code")


def occupation_search(query: str, *, limit: int = 60) -> list[Occupation]:
    """The ISCO-08 unit groups a consulent looks for: code starting with the digits typed
    ("52" lists 5211-5249), or a title holding every word typed, in any case ("verkoop
    winkel"). Empty: none (the page lists them all through :func:`occupations`)."""
    words = query.split()
    if not words:
        return []
    if all(word.isdigit() for word in words):
        found = Occupation.objects.filter(code__startswith=words[0])
    else:
        condition = Q()
        for word in words:
            condition &= Q(title__icontains=word)
        found = Occupation.objects.filter(condition)
    return list(found.order_by("code")[:limit])


def occupation_by_code(code: str) -> Occupation | None:
    return Occupation.objects.filter(code=(code or "").strip()).first()


def account_managers() -> QuerySet[User]:
    """Who can be named account manager of an employer: active account managers."""
    return User.objects.filter(role=Role.ACCOUNT_MANAGER, is_active=True).order_by(
        "last_name", "first_name", "username"
    )
