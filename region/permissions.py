"""Permission codenames of the region (see caseload/permissions.py for the pattern)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class RegionPermission(TextChoices):
    #: the region's indicators (sums and weighted figures of its municipalities)
    VIEW_REGION = "region.view_region", _("Regionale cijfers (geaggregeerd) bekijken")
    #: the municipalities of a region side by side (aggregates per municipality)
    VIEW_COMPARISON = "region.view_comparison", _("Gemeenten in de regio vergelijken")
    #: the regional BUIG overview (budget, spending and vangnet per municipality, and the sum)
    VIEW_REGION_BUDGET = "region.view_budget", _("Regionaal BUIG-overzicht bekijken")
