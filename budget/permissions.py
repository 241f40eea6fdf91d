"""Permission codenames of the BUIG budget (see caseload/permissions.py for the pattern)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class BudgetPermission(TextChoices):
    VIEW_BUDGET = "budget.view_budget", _("BUIG-budget, vangnet en businesscase bekijken")
    CHANGE_BUDGET = (
        "budget.change_budget",
        _("BUIG-budget, memoriaalboekingen en aansluiting vastleggen"),
    )
    IMPORT_LEDGER = "budget.import_ledger", _("Grootboek en betalingsbestanden importeren")
    EXPORT_REPORTS = "budget.export_reports", _("BUIG-rapporten maken en downloaden")
