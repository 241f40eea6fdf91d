"""The matching's REST API (/api/v1/matching/), the pages' rules over JSON.

- ``residents/{id}/profile/``: the resident's profile (read; update with If-Match),
  ``residents/{id}/consents/`` (list, give), ``residents/{id}/consents/withdraw/``,
  ``residents/{id}/vacancies/``: the resident's passende vacatures, ranked. Dossier data:
  ``caseload.view_dossier`` to read, ``caseload.change_dossier`` to write, the resident in the
  caller's API scope (``apiauth.selectors.api_resident_scope``; no break-the-glass over the API).
- ``vacancies/{id}/candidates/``: a vacancy's ranked candidates (``matching.view_candidates``),
  without BSN, name or address; the processing record names every resident in the list.
- ``proposals/`` (list, create: ``matching.propose``), ``proposals/{id}/answer/`` and
  ``placements/`` (list, create: ``matching.place``).

Token requests need ``matching:read`` / ``matching:write``: resident-data scopes, so a key holding
one is approved by the privacy officer first. Every served request writes one processing record
(``privacy.api.ProcessingLoggedMixin``). Errors are the API's structured errors (a service's
``DomainError`` answers 400 with its code and field).
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from apiauth.idempotency import check_if_match, etag_for
from apiauth.selectors import api_resident_scope, request_bound_municipality_id, request_token
from caseload.models import Resident
from caseload.permissions import CaseloadPermission
from common.exceptions import DomainError
from employers import selectors as employer_selectors
from employers.models import Vacancy
from privacy.api import ProcessingLoggedMixin
from privacy.context import note_residents
from privacy.models import Action

from . import selectors, serializers, services
from .models import Placement, Proposal
from .permissions import MatchingPermission

SAFE = ("GET", "HEAD", "OPTIONS")


class Pagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"


def _int(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number


class _Base(ProcessingLoggedMixin, viewsets.GenericViewSet):
    api_scope_group = "matching"
    pagination_class = Pagination
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    _ACTIONS = {
        **ProcessingLoggedMixin._ACTIONS,
        "candidates": Action.SEARCH,
        "vacancies": Action.SEARCH,
        "consents": Action.READ,
        "consent_withdraw": Action.UPDATE,
        "answer": Action.UPDATE,
    }

    def _bound_municipality(self) -> int | None:
        return request_bound_municipality_id(self.request)

    def _vacancies(self):
        return employer_selectors.vacancies_visible_to(
            self.request.user, municipality_id=self._bound_municipality()
        )

    def _residents(self):
        return api_resident_scope(user=self.request.user, token=request_token(self.request))


# --------------------------------------------------------------------------------------------
# The resident's side (dossier data)
# --------------------------------------------------------------------------------------------


@extend_schema_view(
    profile=extend_schema(
        summary="Profiel van een inwoner",
        description=(
            "Het digitale profiel (het deel van de matching); met ETag. PATCH vervangt de "
            "meegestuurde velden en vereist If-Match. Zonder profiel: lege velden."
        ),
        request=serializers.ProfileUpdateSerializer,
        responses={200: serializers.ProfileSerializer},
    ),
    consents=extend_schema(
        summary="Toestemmingen van een inwoner",
        description="GET: alle toestemmingen; POST: toestemming geven (voorstellen aan werkgevers).",
        request=serializers.ConsentGiveSerializer,
        responses={
            200: serializers.ConsentSerializer(many=True),
            201: serializers.ConsentSerializer,
        },
    ),
    consent_withdraw=extend_schema(
        summary="Toestemming intrekken",
        description="Trekt de geldige toestemming in: de inwoner is meteen geen kandidaat meer.",
        request=None,
        responses={200: serializers.ConsentSerializer},
    ),
    vacancies=extend_schema(
        summary="Passende vacatures van een inwoner",
        description="Open vacatures, gerangschikt, met de reden per factor.",
        parameters=[
            OpenApiParameter("consented", OpenApiTypes.BOOL, description="Alleen met toestemming."),
            OpenApiParameter(
                "banenafspraak", OpenApiTypes.BOOL, description="Alleen banenafspraakvacatures."
            ),
            OpenApiParameter(
                "within_range",
                OpenApiTypes.BOOL,
                description="Alleen binnen de reisafstand van de inwoner (onbekend telt als binnen).",
            ),
        ],
        responses={200: serializers.ResidentVacancySerializer(many=True)},
    ),
)
class ResidentMatchingViewSet(_Base):
    privacy_object_type = "matching_profile"
    queryset = Resident.objects.none()
    serializer_class = serializers.ProfileSerializer

    @property
    def required_permission(self):
        if self.request.method in SAFE:
            return CaseloadPermission.VIEW_DOSSIER
        return CaseloadPermission.CHANGE_DOSSIER

    def _resident(self) -> Resident:
        resident = self._residents().filter(pk=_int(self.kwargs.get("pk"))).first()
        if resident is None:
            raise Http404
        note_residents([resident.pk])
        return resident

    def _profile_body(self, resident: Resident) -> dict:
        profile = selectors.profile_of(resident)
        missing = selectors.profile_missing_of(profile)
        if profile is None:
            return {
                "id": None,
                "resident": resident.pk,
                "sought": [],
                "experience": [],
                "no_work_experience": False,
                "driving_licence": None,
                "travel_range_km": None,
                "hours_available": None,
                "completed_on": None,
                "missing": missing,
                "updated_at": None,
            }
        return serializers.ProfileSerializer(profile, context={"missing": missing}).data

    @action(detail=True, methods=["get", "patch"], url_path="profile")
    def profile(self, request, *args, **kwargs):
        resident = self._resident()
        if request.method == "PATCH":
            write = serializers.ProfileUpdateSerializer(data=request.data)
            Resident.objects.select_for_update().filter(pk=resident.pk).first()
            check_if_match(request, etag_for(self._profile_body(resident)))
            write.is_valid(raise_exception=True)
            data = write.validated_data
            current = selectors.profile_of(resident)
            sought = [s.occupation.code for s in current.sought.all()] if current else []
            services.profile_save(
                resident=resident,
                by=request.user,
                sought_codes=data.get("sought", sought),
                driving_licence=data.get(
                    "driving_licence", current.driving_licence if current else None
                ),
                travel_range_km=data.get(
                    "travel_range_km", current.travel_range_km if current else None
                ),
                hours_available=data.get(
                    "hours_available", current.hours_available if current else None
                ),
                no_work_experience=data.get(
                    "no_work_experience", current.no_work_experience if current else False
                ),
            )
        body = self._profile_body(resident)
        return Response(body, headers={"ETag": etag_for(body)})

    @action(detail=True, methods=["get", "post"], url_path="consents")
    def consents(self, request, *args, **kwargs):
        resident = self._resident()
        if request.method == "POST":
            write = serializers.ConsentGiveSerializer(data=request.data)
            write.is_valid(raise_exception=True)
            consent = services.consent_give(
                resident=resident, by=request.user, given_on=write.validated_data["given_on"]
            )
            return Response(
                serializers.ConsentSerializer(consent).data, status=status.HTTP_201_CREATED
            )
        return Response(
            serializers.ConsentSerializer(selectors.consents_of(resident=resident), many=True).data
        )

    @action(detail=True, methods=["post"], url_path="consents/withdraw")
    def consent_withdraw(self, request, *args, **kwargs):
        resident = self._resident()
        consent = selectors.consent_active(resident=resident)
        if consent is None:
            raise DomainError(
                "Er is geen geldige toestemming om in te trekken.", code="no_consent", field=None
            )
        consent = services.consent_withdraw(consent=consent, by=request.user)
        return Response(serializers.ConsentSerializer(consent).data)

    @action(detail=True, methods=["get"], url_path="vacancies")
    def vacancies(self, request, *args, **kwargs):
        resident = self._resident()
        flag = lambda name: request.query_params.get(name, "").lower() in ("1", "true")  # noqa: E731
        matches = []
        if selectors.profile_of(resident) is not None:
            matches = selectors.vacancies_for_resident(
                user=request.user,
                resident=resident,
                only_consented=flag("consented"),
                only_banenafspraak=flag("banenafspraak"),
                only_within_range=flag("within_range"),
            )
        return Response(serializers.ResidentVacancySerializer(matches, many=True).data)


# --------------------------------------------------------------------------------------------
# The WSP's side
# --------------------------------------------------------------------------------------------


@extend_schema_view(
    candidates=extend_schema(
        summary="Kandidaten bij een vacature",
        description=(
            "Gerangschikt, met de reden per factor; alleen inwoners met toestemming. Zonder BSN, "
            "naam of adres: het profiel-id dient om voor te dragen."
        ),
        parameters=[
            OpenApiParameter("group_12", OpenApiTypes.BOOL, description="Alleen groep 1 en 2."),
            OpenApiParameter(
                "banenafspraak", OpenApiTypes.BOOL, description="Alleen de doelgroep banenafspraak."
            ),
            OpenApiParameter(
                "within_range",
                OpenApiTypes.BOOL,
                description="Alleen binnen de reisafstand van de inwoner (onbekend telt als binnen).",
            ),
        ],
        responses={200: serializers.CandidateSerializer(many=True)},
    ),
)
class VacancyCandidatesViewSet(_Base):
    privacy_object_type = "vacancy_candidates"
    required_permission = MatchingPermission.VIEW_CANDIDATES
    queryset = Vacancy.objects.none()
    serializer_class = serializers.CandidateSerializer

    @action(detail=True, methods=["get"], url_path="candidates")
    def candidates(self, request, *args, **kwargs):
        vacancy = self._vacancies().filter(pk=_int(kwargs.get("pk"))).first()
        if vacancy is None:
            raise Http404
        flag = lambda name: request.query_params.get(name, "").lower() in ("1", "true")  # noqa: E731
        matches = selectors.candidates_for_vacancy(
            user=request.user,
            vacancy=vacancy,
            only_group_12=flag("group_12"),
            only_banenafspraak=flag("banenafspraak"),
            only_within_range=flag("within_range"),
            bound_municipality_id=self._bound_municipality(),
        )
        note_residents(m.resident_id for m in matches)
        return Response(serializers.CandidateSerializer(matches, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Voordrachten",
        description=(
            "Van de eigen inwoners (consulent) of bij de zichtbare vacatures (accountmanager)."
        ),
    ),
    create=extend_schema(
        summary="Inwoner voordragen",
        description="Alleen met toestemming van de inwoner en bij een open vacature.",
        request=serializers.ProposalCreateSerializer,
        responses={201: serializers.ProposalSerializer},
    ),
    answer=extend_schema(
        summary="Antwoord van de werkgever",
        request=serializers.ProposalAnswerSerializer,
        responses={200: serializers.ProposalSerializer},
    ),
)
class ProposalViewSet(mixins.ListModelMixin, _Base):
    privacy_object_type = "proposal"
    serializer_class = serializers.ProposalSerializer

    @property
    def required_permission(self):
        if getattr(self, "action", None) == "answer":
            return MatchingPermission.PLACE
        return MatchingPermission.PROPOSE

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: no request user
            return Proposal.objects.none()
        return selectors.proposals_visible_to(
            user=self.request.user,
            vacancies=self._vacancies(),
            residents=self._residents(),
            bound_municipality_id=self._bound_municipality(),
        )

    def create(self, request, *args, **kwargs):
        write = serializers.ProposalCreateSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = write.validated_data
        vacancy = self._vacancies().filter(pk=data["vacancy"]).first()
        profile = selectors.profile_for_proposal(
            user=request.user, profile_id=data["profile"], bound_to=self._bound_municipality()
        )
        if vacancy is None or profile is None:
            raise Http404
        note_residents([profile.resident_id])
        proposal = services.proposal_create(
            vacancy=vacancy,
            resident=profile.resident,
            by=request.user,
            motivation=data["motivation"],
            score=selectors.match_score(vacancy=vacancy, profile=profile),
        )
        return Response(
            serializers.ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED
        )

    @action(detail=True, methods=["post"], url_path="answer")
    def answer(self, request, *args, **kwargs):
        try:
            proposal = selectors.proposal_get(
                user=request.user,
                pk=_int(kwargs.get("pk")),
                vacancies=self._vacancies(),
                bound_municipality_id=self._bound_municipality(),
            )
        except Proposal.DoesNotExist:
            raise Http404 from None
        note_residents([proposal.resident_id])
        write = serializers.ProposalAnswerSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = write.validated_data
        proposal = services.proposal_answer(
            proposal=proposal,
            accepted=data["answer"] == "aangenomen",
            answered_on=data["answered_on"],
            reason=data["decline_reason"],
            by=request.user,
        )
        return Response(serializers.ProposalSerializer(proposal).data)


@extend_schema_view(
    list=extend_schema(
        summary="Plaatsingen", description="Met de duurzaamheid na 6 en 12 maanden (of null)."
    ),
    create=extend_schema(
        summary="Plaatsing vastleggen",
        description=(
            "Na een aangenomen voordracht; legt de uitstroom naar werk vast in het dossier en "
            "sluit de vacature als vervuld."
        ),
        request=serializers.PlacementCreateSerializer,
        responses={201: serializers.PlacementSerializer},
    ),
)
class PlacementViewSet(mixins.ListModelMixin, _Base):
    privacy_object_type = "placement"
    required_permission = MatchingPermission.PLACE
    serializer_class = serializers.PlacementSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: no request user
            return Placement.objects.none()
        return selectors.placements_visible_to(
            user=self.request.user,
            vacancies=self._vacancies(),
            bound_municipality_id=self._bound_municipality(),
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            note_residents(p.proposal.resident_id for p in page)
        return page

    def create(self, request, *args, **kwargs):
        write = serializers.PlacementCreateSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = dict(write.validated_data)
        try:
            proposal = selectors.proposal_get(
                user=request.user,
                pk=data.pop("proposal"),
                vacancies=self._vacancies(),
                bound_municipality_id=self._bound_municipality(),
            )
        except Proposal.DoesNotExist:
            raise Http404 from None
        note_residents([proposal.resident_id])
        with transaction.atomic():
            placement = services.placement_record(proposal=proposal, by=request.user, **data)
        placement = Placement.objects.select_related("outflow").get(pk=placement.pk)
        return Response(
            serializers.PlacementSerializer(placement).data, status=status.HTTP_201_CREATED
        )
