"""The caseload REST API (/api/v1/caseload/). Views are thin: scope, validate, call a service.

Every queryset starts from the residents the caller may see
(:func:`apiauth.selectors.api_resident_scope`): ``Resident.objects.visible_to(user)`` for people,
the service account's municipality for connected systems. Token requests also need the scope
``caseload:read`` or ``caseload:write`` (``apiauth.permissions.TokenHasScope``).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from urllib import parse

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from apiauth.idempotency import IdempotentCreateMixin, check_if_match, etag_for
from apiauth.schema import ErrorResponseSerializer
from apiauth.selectors import api_resident_scope, request_token
from apiauth.throttling import BsnSearchThrottle
from caseload import api_filters, selectors, serializers, services
from caseload.models import (
    Application,
    Benefit,
    ContactMoment,
    DebtCase,
    District,
    FraudInvestigation,
    GroupAssignment,
    Household,
    Instrument,
    LadderScore,
    Municipality,
    OutflowEvent,
    Resident,
    Trajectory,
)
from caseload.permissions import CaseloadPermission
from privacy.api import ProcessingLoggedMixin
from privacy.models import Action, Purpose
from privacy.services import processing_record_write

_CURSOR_OFFSET = re.compile(r"[0-9]{1,4}")


class CaseloadCursorPagination(CursorPagination):
    """Cursor pagination: no COUNT over the table, stable under inserts.

    A cursor is decoded strictly (issue 12, finding 10): only the keys, offsets and positions
    this class itself writes; anything else, such as a position that is no value of the
    ordering field, answers 404 "Ongeldige cursor" instead of reaching the query."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"
    page_size_query_description = "Aantal resultaten per pagina (standaard 50, hoogstens 500)."
    cursor_query_description = "Cursor uit 'next' of 'previous' van het vorige antwoord."

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        invalid = exceptions.NotFound(self.invalid_cursor_message)
        try:
            text = base64.b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
            tokens = parse.parse_qs(text, keep_blank_values=True, errors="strict")
        except (UnicodeError, ValueError, binascii.Error):
            raise invalid from None
        if set(tokens) - {"o", "r", "p"} or any(len(v) != 1 for v in tokens.values()):
            raise invalid
        offset = tokens.get("o", ["0"])[0]
        reverse = tokens.get("r", ["0"])[0]
        position = tokens.get("p", [None])[0]
        if not _CURSOR_OFFSET.fullmatch(offset) or int(offset) > self.offset_cutoff:
            raise invalid
        if reverse not in ("0", "1") or not self._is_position(position):
            raise invalid
        return Cursor(offset=int(offset), reverse=reverse == "1", position=position)

    def _is_position(self, position: str | None) -> bool:
        """A value of the first ordering field, as ``_get_position_from_instance`` writes it."""
        if position is None:
            return True
        if "\x00" in position:
            return False
        try:
            field = self._model._meta.get_field(self.ordering[0].lstrip("-"))
            field.run_validators(field.to_python(position))
        except (FieldDoesNotExist, ValidationError, ValueError, TypeError, OverflowError):
            return False
        return True

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "URL van de volgende pagina, of null.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "URL van de vorige pagina, of null.",
                },
                "results": {**schema, "description": "De resultaten op deze pagina."},
            },
        }


# --------------------------------------------------------------------------------------------
# Scoping
# --------------------------------------------------------------------------------------------


def connected_system(request):
    """The service account behind a token request (a connected system), else None."""
    if request_token(request) is None:
        return None
    return getattr(request.user, "service_account", None)


def caller_municipalities(request) -> QuerySet[Municipality]:
    """Municipalities in which the caller may create records."""
    token = request_token(request)
    service_account = connected_system(request)
    if service_account is not None:
        qs = Municipality.objects.filter(pk=service_account.municipality_id)
    else:
        qs = selectors.municipalities_of(user=request.user)
    if token is not None and token.municipality_id is not None:
        qs = qs.filter(pk=token.municipality_id)
    return qs


def check_field_permissions(request, *, serializer_class, current: Mapping) -> None:
    """The UI's permissions per field (issue 12, finding 4): a person who sends a new value
    for a field whose permission they lack (``serializer_class.field_permissions``) gets 403
    naming the field, before the value is looked at. Repeating the current value is no change.
    Connected systems are bound by their token's scope and municipality instead."""
    data = request.data
    if not isinstance(data, Mapping) or connected_system(request) is not None:
        return
    denied = {}
    for field, (permission, message) in serializer_class.field_permissions.items():
        if field not in data or request.user.has_perm(permission):
            continue
        sent, stored = data[field], current.get(field)
        if (None if sent in (None, "") else str(sent)) != (None if stored is None else str(stored)):
            denied[field] = message
    if denied:
        raise exceptions.PermissionDenied(detail=denied, code="permission")


class CaseloadViewSet(ProcessingLoggedMixin, viewsets.GenericViewSet):
    # every served request is logged (privacy.api); viewsets with resident data name their type
    api_scope_group = "caseload"
    pagination_class = CaseloadCursorPagination
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["id"]
    ordering = ["-id"]
    # any path segment reaches the view, so a malformed id is a JSON 404, not an HTML page
    lookup_value_regex = "[^/]+"
    #: serializer per action; "default" for the rest
    serializers: dict = {}

    def get_serializer_class(self):
        return self.serializers.get(self.action, self.serializers["default"])

    def residents(self) -> QuerySet[Resident]:
        return api_resident_scope(user=self.request.user, token=request_token(self.request))

    def check_permissions(self, request):
        """Besides the token scope: a person's write needs ``caseload.change_dossier``, as the
        case forms do (issue 12, finding 4)."""
        super().check_permissions(request)
        if request.method in SAFE_METHODS or connected_system(request) is not None:
            return
        if getattr(self, "action", None) in getattr(self, "api_read_actions", ()):
            return
        if not request.user.has_perm(CaseloadPermission.CHANGE_DOSSIER):
            self.permission_denied(
                request, message=_("U mag geen dossiers wijzigen."), code="permission"
            )

    def get_serializer_context(self):
        """``scopes``: the querysets every referenced id is resolved against (issue 12, finding
        3). An id outside them answers like a nonexistent one (400 "bestaat niet")."""
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        request = self.request
        municipalities = lambda: caller_municipalities(request)  # noqa: E731
        teams = lambda: selectors.write_scope_teams(  # noqa: E731
            user=request.user,
            municipalities=municipalities(),
            connected_system=connected_system(request) is not None,
        )
        context["scopes"] = {
            "residents": self.residents,
            "municipalities": municipalities,
            "districts": lambda: District.objects.filter(municipality__in=municipalities()),
            "teams": teams,
            "consulenten": lambda: selectors.write_scope_consulenten(teams=teams()),
            "households_writable": lambda: selectors.write_scope_households(
                residents=self.residents(), municipalities=municipalities()
            ),
            "instruments": lambda: Instrument.objects.all(),
        }
        return context


class ServiceCreateMixin:
    """POST: validate with the action's serializer (which calls the service), answer with the
    read serializer (``serializers["default"]``) and 201."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.reload(serializer.save())
        read_serializer = self.serializers["default"]
        return Response(
            read_serializer(instance, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def reload(self, instance):
        return instance


class ResidentChildViewSet(
    IdempotentCreateMixin,
    ServiceCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CaseloadViewSet,
):
    """Records that belong to a resident: visible when the resident is."""

    model = None

    @property
    def privacy_object_type(self) -> str:
        return self.model._meta.model_name

    def get_queryset(self):
        return self.model.objects.filter(resident__in=self.residents())


# --------------------------------------------------------------------------------------------
# Residents and households
# --------------------------------------------------------------------------------------------


def _with_current_group(qs: QuerySet[Resident]) -> QuerySet[Resident]:
    current = GroupAssignment.objects.filter(resident=OuterRef("pk"), ended_on__isnull=True)
    return qs.annotate(current_group=Subquery(current.values("group")[:1]))


@extend_schema_view(
    list=extend_schema(
        summary="Inwoners",
        description="Inwoners die u mag zien, met gemaskeerd BSN. Zoeken op BSN: POST search/.",
    ),
    retrieve=extend_schema(summary="Eén inwoner", description="Met volledig BSN en ETag."),
    create=extend_schema(
        summary="Inwoner registreren",
        description=(
            "Huishouden, team en consulent moeten binnen uw bereik liggen; een id daarbuiten "
            "geeft dezelfde fout als een id dat niet bestaat. De BSN-controle telt als zoeken op "
            "BSN (zelfde limiet, vastgelegd in het verwerkingenlog) en kijkt alleen in de "
            "gemeente van het huishouden."
        ),
        request=serializers.ResidentCreateSerializer,
        responses={
            201: serializers.ResidentSerializer,
            409: OpenApiResponse(
                response=ErrorResponseSerializer,
                description="Deze inwoner kan hier niet worden geregistreerd.",
            ),
        },
    ),
    partial_update=extend_schema(
        summary="Inwoner wijzigen",
        description=(
            "Wijzig kenmerken die geen identiteit zijn (team, consulent, opleiding, taal, ...). "
            "Team en consulent wijzigen vereist het recht om inwoners te herverdelen "
            "(teamleider); anders 403 met het veld. "
            "Vereist If-Match met de ETag uit het laatste GET-antwoord."
        ),
        request=serializers.ResidentUpdateSerializer,
        responses={200: serializers.ResidentSerializer},
    ),
    search=extend_schema(
        summary="Inwoner zoeken op BSN",
        description="Het BSN staat in de body, nooit in de URL. Geeft 0 of 1 resultaat.",
        request=serializers.ResidentSearchSerializer,
        responses={200: serializers.ResidentSearchResultSerializer},
    ),
)
class ResidentViewSet(
    IdempotentCreateMixin,
    ServiceCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CaseloadViewSet,
):
    privacy_object_type = "resident"
    serializers = {
        "default": serializers.ResidentSerializer,
        "list": serializers.ResidentListSerializer,
        "create": serializers.ResidentCreateSerializer,
        "partial_update": serializers.ResidentUpdateSerializer,
        "search": serializers.ResidentSearchSerializer,
    }
    filterset_class = api_filters.ResidentFilter
    ordering_fields = ["id", "last_name", "registered_at"]
    api_read_actions = ("search",)
    etag_actions = ("retrieve", "partial_update")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return _with_current_group(self.residents())

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action in ("search", "create"):  # the registration's BSN check is a search too
            throttles.append(BsnSearchThrottle())
        return throttles

    def create(self, request, *args, **kwargs):
        """The BSN check is a BSN search (issue 12, finding 5): a refusal is logged with purpose
        registratiecontrole, naming the resident who holds the BSN; a BSN of another
        municipality answers a neutral 409."""
        try:
            return super().create(request, *args, **kwargs)
        except services.BsnCheckRefused as exc:
            processing_record_write(
                user=request.user,
                action=Action.SEARCH,
                object_type="resident",
                purpose=Purpose.REGISTRATION_CHECK,
                resident_ids=[exc.resident_id],
            )
            if isinstance(exc, services.RegistrationConflict):
                return Response({"errors": [exc.as_dict()]}, status=status.HTTP_409_CONFLICT)
            raise

    def reload(self, instance: Resident) -> Resident:
        # unscoped: after a reassignment the caller may no longer see the resident
        return _with_current_group(Resident.objects.filter(pk=instance.pk)).get()

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(response.data)
        return response

    def partial_update(self, request, *args, **kwargs):
        with transaction.atomic():
            resident = self.get_object()
            Resident.objects.select_for_update().filter(pk=resident.pk).first()
            resident = self.reload(resident)  # re-read under the lock
            context = self.get_serializer_context()
            current = serializers.ResidentSerializer(resident, context=context).data
            check_if_match(request, etag_for(current))
            check_field_permissions(
                request, serializer_class=serializers.ResidentUpdateSerializer, current=current
            )
            serializer = serializers.ResidentUpdateSerializer(
                resident, data=request.data, partial=True, context=context
            )
            serializer.is_valid(raise_exception=True)
            data = serializers.ResidentSerializer(
                self.reload(serializer.save()), context=context
            ).data
        response = Response(data)
        response["ETag"] = etag_for(data)
        return response

    @action(detail=False, methods=["post"])
    def search(self, request):
        serializer = serializers.ResidentSearchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = self.get_queryset().filter(bsn=serializer.validated_data["bsn"])
        data = serializers.ResidentSerializer(found[:1], many=True).data
        return Response({"results": data})


@extend_schema_view(
    list=extend_schema(summary="Huishoudens", description="Huishoudens met een zichtbaar lid."),
    retrieve=extend_schema(summary="Eén huishouden"),
    create=extend_schema(
        summary="Huishouden aanmaken",
        request=serializers.HouseholdCreateSerializer,
        responses={201: serializers.HouseholdSerializer},
    ),
)
class HouseholdViewSet(
    IdempotentCreateMixin,
    ServiceCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CaseloadViewSet,
):
    privacy_object_type = "household"
    serializers = {
        "default": serializers.HouseholdSerializer,
        "create": serializers.HouseholdCreateSerializer,
    }
    filterset_class = api_filters.HouseholdFilter

    def get_queryset(self):
        visible_member = self.residents().filter(household_id=OuterRef("pk"))
        return Household.objects.filter(Exists(visible_member))


# --------------------------------------------------------------------------------------------
# Benefits and applications
# --------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Uitkeringen", description="Uitkeringen van zichtbare aanvragers."),
    retrieve=extend_schema(summary="Eén uitkering"),
)
class BenefitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseloadViewSet):
    privacy_object_type = "benefit"
    serializers = {"default": serializers.BenefitSerializer}
    filterset_class = api_filters.BenefitFilter
    ordering_fields = ["id", "start_date"]

    def get_queryset(self):
        return Benefit.objects.filter(applicant__in=self.residents())


@extend_schema_view(
    list=extend_schema(summary="Aanvragen (meldingen)"),
    retrieve=extend_schema(summary="Eén aanvraag"),
    create=extend_schema(
        summary="Melding registreren",
        request=serializers.ApplicationCreateSerializer,
        responses={201: serializers.ApplicationSerializer},
    ),
    decide=extend_schema(
        summary="Besluiten op een aanvraag",
        description="Een toekenning opent de uitkering voor het huishouden van de aanvrager.",
        request=serializers.ApplicationDecideSerializer,
        responses={200: serializers.ApplicationSerializer},
    ),
)
class ApplicationViewSet(ResidentChildViewSet):
    model = Application
    serializers = {
        "default": serializers.ApplicationSerializer,
        "create": serializers.ApplicationCreateSerializer,
        "decide": serializers.ApplicationDecideSerializer,
    }
    filterset_class = api_filters.ApplicationFilter
    ordering_fields = ["id", "received_on"]

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        application = self.get_object()
        serializer = serializers.ApplicationDecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_decide(
            application=application, **serializer.validated_data
        )
        return Response(serializers.ApplicationSerializer(application).data)


# --------------------------------------------------------------------------------------------
# Groups, instruments, trajectories
# --------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Groepsindelingen", description="Met historie."),
    retrieve=extend_schema(summary="Eén groepsindeling"),
    create=extend_schema(
        summary="Inwoner indelen in een groep",
        description="De vorige indeling eindigt op de besluitdatum.",
        request=serializers.GroupAssignmentCreateSerializer,
        responses={201: serializers.GroupAssignmentSerializer},
    ),
)
class GroupAssignmentViewSet(ResidentChildViewSet):
    model = GroupAssignment
    serializers = {
        "default": serializers.GroupAssignmentSerializer,
        "create": serializers.GroupAssignmentCreateSerializer,
    }
    filterset_class = api_filters.GroupAssignmentFilter
    ordering_fields = ["id", "decided_on"]


@extend_schema_view(
    list=extend_schema(summary="Instrumentencatalogus"),
    retrieve=extend_schema(summary="Eén instrument"),
)
class InstrumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseloadViewSet):
    serializers = {"default": serializers.InstrumentSerializer}
    filterset_class = api_filters.InstrumentFilter
    ordering_fields = ["id", "name", "code"]
    queryset = Instrument.objects.all()


@extend_schema_view(
    list=extend_schema(summary="Trajecten"),
    retrieve=extend_schema(summary="Eén traject", description="Met ETag."),
    create=extend_schema(
        summary="Traject starten",
        request=serializers.TrajectoryCreateSerializer,
        responses={201: serializers.TrajectorySerializer},
    ),
    partial_update=extend_schema(
        summary="Traject afsluiten",
        description="Sluit het traject af met einddatum en resultaat. Vereist If-Match (ETag).",
        request=serializers.TrajectoryCloseSerializer,
        responses={200: serializers.TrajectorySerializer},
    ),
)
class TrajectoryViewSet(ResidentChildViewSet):
    model = Trajectory
    serializers = {
        "default": serializers.TrajectorySerializer,
        "create": serializers.TrajectoryCreateSerializer,
        "partial_update": serializers.TrajectoryCloseSerializer,
    }
    filterset_class = api_filters.TrajectoryFilter
    ordering_fields = ["id", "started_on"]
    etag_actions = ("retrieve", "partial_update")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(response.data)
        return response

    def partial_update(self, request, *args, **kwargs):
        with transaction.atomic():
            trajectory = self.get_object()
            trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
            check_if_match(request, etag_for(serializers.TrajectorySerializer(trajectory).data))
            serializer = serializers.TrajectoryCloseSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            trajectory = services.trajectory_close(
                trajectory=trajectory, **serializer.validated_data
            )
            data = serializers.TrajectorySerializer(trajectory).data
        response = Response(data)
        response["ETag"] = etag_for(data)
        return response


# --------------------------------------------------------------------------------------------
# Outflow, contacts, ladder, enforcement, debts
# --------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Uitstroom"),
    retrieve=extend_schema(summary="Eén uitstroom"),
    create=extend_schema(
        summary="Uitstroom vastleggen",
        description=(
            "Volledige uitstroom beëindigt de lopende uitkering en sluit lopende werkgerichte "
            "trajecten af; gedeeltelijke uitstroom houdt de uitkering open."
        ),
        request=serializers.OutflowEventCreateSerializer,
        responses={201: serializers.OutflowEventSerializer},
    ),
)
class OutflowEventViewSet(ResidentChildViewSet):
    model = OutflowEvent
    serializers = {
        "default": serializers.OutflowEventSerializer,
        "create": serializers.OutflowEventCreateSerializer,
    }
    filterset_class = api_filters.OutflowEventFilter
    ordering_fields = ["id", "occurred_on"]


@extend_schema_view(
    list=extend_schema(summary="Contactmomenten"),
    retrieve=extend_schema(summary="Eén contactmoment"),
    create=extend_schema(
        summary="Contactmoment vastleggen",
        request=serializers.ContactMomentCreateSerializer,
        responses={201: serializers.ContactMomentSerializer},
    ),
)
class ContactMomentViewSet(ResidentChildViewSet):
    model = ContactMoment
    serializers = {
        "default": serializers.ContactMomentSerializer,
        "create": serializers.ContactMomentCreateSerializer,
    }
    filterset_class = api_filters.ContactMomentFilter
    ordering_fields = ["id", "occurred_on"]


@extend_schema_view(
    list=extend_schema(summary="Participatieladder-scores"),
    retrieve=extend_schema(summary="Eén meting"),
    create=extend_schema(
        summary="Meting participatieladder vastleggen",
        request=serializers.LadderScoreCreateSerializer,
        responses={201: serializers.LadderScoreSerializer},
    ),
)
class LadderScoreViewSet(ResidentChildViewSet):
    model = LadderScore
    serializers = {
        "default": serializers.LadderScoreSerializer,
        "create": serializers.LadderScoreCreateSerializer,
    }
    filterset_class = api_filters.LadderScoreFilter
    ordering_fields = ["id", "measured_on"]


@extend_schema_view(
    list=extend_schema(summary="Fraudeonderzoeken"),
    retrieve=extend_schema(summary="Eén fraudeonderzoek"),
    create=extend_schema(
        summary="Fraudeonderzoek starten",
        request=serializers.FraudInvestigationCreateSerializer,
        responses={201: serializers.FraudInvestigationSerializer},
    ),
    close=extend_schema(
        summary="Fraudeonderzoek afsluiten",
        request=serializers.FraudInvestigationCloseSerializer,
        responses={200: serializers.FraudInvestigationSerializer},
    ),
)
class FraudInvestigationViewSet(ResidentChildViewSet):
    model = FraudInvestigation
    # field grant: only roles with caseload.view_fraud see or start investigations (#6)
    required_permission = CaseloadPermission.VIEW_FRAUD
    serializers = {
        "default": serializers.FraudInvestigationSerializer,
        "create": serializers.FraudInvestigationCreateSerializer,
        "close": serializers.FraudInvestigationCloseSerializer,
    }
    filterset_class = api_filters.FraudInvestigationFilter
    ordering_fields = ["id", "started_on"]

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        investigation = self.get_object()
        serializer = serializers.FraudInvestigationCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        investigation = services.fraud_investigation_close(
            investigation=investigation, **serializer.validated_data
        )
        return Response(serializers.FraudInvestigationSerializer(investigation).data)


@extend_schema_view(
    list=extend_schema(summary="Schuldhulptrajecten"),
    retrieve=extend_schema(summary="Eén schuldhulptraject"),
    create=extend_schema(
        summary="Aanmelding schuldhulpverlening",
        request=serializers.DebtCaseCreateSerializer,
        responses={201: serializers.DebtCaseSerializer},
    ),
    close=extend_schema(
        summary="Schuldhulptraject afsluiten",
        request=serializers.DebtCaseCloseSerializer,
        responses={200: serializers.DebtCaseSerializer},
    ),
)
class DebtCaseViewSet(ResidentChildViewSet):
    model = DebtCase
    serializers = {
        "default": serializers.DebtCaseSerializer,
        "create": serializers.DebtCaseCreateSerializer,
        "close": serializers.DebtCaseCloseSerializer,
    }
    filterset_class = api_filters.DebtCaseFilter
    ordering_fields = ["id", "applied_on"]

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self.get_object()
        serializer = serializers.DebtCaseCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.debt_case_close(case=case, **serializer.validated_data)
        return Response(serializers.DebtCaseSerializer(case).data)
