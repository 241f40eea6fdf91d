"""Permission codenames of the matching (see caseload/permissions.py for the pattern).

Which role holds which is configured in ``settings.ROLE_PERMISSIONS``. The profile, the consent
and the "passende vacatures" of a resident are dossier pages: they need
``caseload.view_dossier`` / ``caseload.change_dossier`` and the resident in the user's scope.
The candidate list of a vacancy shows no BSN or address; it needs ``view_candidates``
(account manager, teamleider). Proposing a resident needs ``propose`` (account manager,
consulent); recording the employer's answer and the placement needs ``place`` (account manager).
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class MatchingPermission(TextChoices):
    VIEW_CANDIDATES = "matching.view_candidates", _("Kandidaten bij een vacature inzien")
    PROPOSE = "matching.propose", _("Inwoners voordragen bij een vacature")
    PLACE = "matching.place", _("Antwoord werkgever en plaatsing vastleggen")
