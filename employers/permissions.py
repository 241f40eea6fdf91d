"""Permission codenames of the employer services (see caseload/permissions.py for the pattern).

Which role holds which is configured in ``settings.ROLE_PERMISSIONS``: the account manager of the
werkgeversservicepunt (WSP) views and changes employers and vacancies; teamleiders and
functioneel beheer view them; consulenten read vacancies (``view_vacancies``).
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class EmployerPermission(TextChoices):
    VIEW_EMPLOYERS = "employers.view_employers", _("Werkgevers en vacatures inzien")
    CHANGE_EMPLOYERS = "employers.change_employers", _("Werkgevers en vacatures vastleggen")
    VIEW_VACANCIES = "employers.view_vacancies", _("Vacatures inzien")
