"""Processing log for the REST API: a mixin for every viewset that serves resident data.

The viewset notes the residents behind the objects it hands out (``get_object``,
``paginate_queryset``, and the created object of a 201); after the handler has produced a
successful response, one record is appended inside the same transaction as the handler. If the
record cannot be written, the transaction rolls back and the request fails: no data is served.
A list request writes one record naming every resident on the page (action ``search``).
"""

from __future__ import annotations

from django.db import transaction

from caseload.models import Household, Resident

from . import context as pcontext
from .decorators import log_served, request_id_of, route_of, served
from .models import Action


def resident_ids_of(objects) -> list[int]:
    """The residents behind ``objects`` (residents, their child records, benefits, households),
    in at most one extra query (household members)."""
    ids: list[int] = []
    households: list[int] = []
    for obj in objects:
        if isinstance(obj, Resident):
            ids.append(obj.pk)
        elif isinstance(obj, Household):
            households.append(obj.pk)
        elif getattr(obj, "resident_id", None) is not None:
            ids.append(obj.resident_id)
        elif getattr(obj, "applicant_id", None) is not None:
            ids.append(obj.applicant_id)
    if households:
        ids.extend(
            Resident.objects.filter(household_id__in=households).values_list("pk", flat=True)
        )
    return ids


class ProcessingLoggedMixin:
    #: the kind of object served, for the log; None for viewsets without resident data
    privacy_object_type: str | None = None

    _ACTIONS = {
        "list": Action.SEARCH,
        "search": Action.SEARCH,
        "retrieve": Action.READ,
        "create": Action.CREATE,
        "partial_update": Action.UPDATE,
        "update": Action.UPDATE,
        "destroy": Action.DELETE,
    }

    def dispatch(self, request, *args, **kwargs):
        if self.privacy_object_type is None:
            return super().dispatch(request, *args, **kwargs)
        with (
            pcontext.processing_context(
                route=route_of(request), method=request.method, request_id=request_id_of(request)
            ) as ctx,
            transaction.atomic(),
        ):
            response = super().dispatch(request, *args, **kwargs)
            if served(response.status_code) and request.method != "OPTIONS":
                self._privacy_note_response(response)
                action = getattr(self, "action", None) or ""
                pk = kwargs.get(getattr(self, "lookup_url_kwarg", None) or "pk", "")
                log_served(
                    ctx=ctx,
                    user=self.request.user,
                    action=self._ACTIONS.get(
                        action, Action.READ if request.method == "GET" else Action.UPDATE
                    ),
                    object_type=self.privacy_object_type,
                    object_id=pk if self.privacy_object_type != "resident" else "",
                )
        return response

    def _privacy_note_response(self, response) -> None:
        data = getattr(response, "data", None)
        if response.status_code == 201 and isinstance(data, dict) and "id" in data:
            model = self.get_queryset().model
            pcontext.note_residents(resident_ids_of(model.objects.filter(pk=data["id"])))
        elif getattr(self, "action", None) == "search" and isinstance(data, dict):
            pcontext.note_residents(
                r["id"] for r in data.get("results", []) if isinstance(r, dict) and "id" in r
            )

    def get_object(self):
        obj = super().get_object()
        pcontext.note_residents(resident_ids_of([obj]))
        return obj

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            pcontext.note_residents(resident_ids_of(page))
        return page
