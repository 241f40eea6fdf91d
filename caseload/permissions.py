"""Permission codenames of the caseload (Saleor style: one enum per app).

Which role holds which permission is configured once, in ``settings.ROLE_PERMISSIONS`` (and
``TEAM_KIND_PERMISSIONS`` for grants that come with a team, such as Handhaving); check with
Django's ``user.has_perm(CaseloadPermission.VIEW_FRAUD)`` (the member is the "app_label.codename"
string; ``common.auth_backends.RolePermissionBackend`` answers). See docs/security.md.
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class CaseloadPermission(TextChoices):
    VIEW_DOSSIER = "caseload.view_dossier", _("Dossiers van het eigen team inzien")
    CHANGE_DOSSIER = "caseload.change_dossier", _("Dossiers van het eigen team bijwerken")
    REASSIGN_RESIDENT = "caseload.reassign_resident", _("Inwoners herverdelen")
    #: correct or withdraw a recorded fact (trajectory, outflow, contact, ladder score, group,
    #: plan action) of the own team's residents, with a reason (issue 14)
    CORRECT_FACTS = "caseload.correct_facts", _("Vastgelegde gegevens corrigeren of intrekken")
    #: the worklist as CSV (issue 14), for the teamleider
    EXPORT_WORKLIST = "caseload.export_worklist", _("Caseload van het team exporteren")
    #: field grant: fraud investigations (handhaving) in pages, exports and the API
    VIEW_FRAUD = "caseload.view_fraud", _("Fraudeonderzoeken (handhaving) inzien")
    CONFIGURE = "caseload.configure", _("Configuratie: teams, instrumenten, API-sleutels, import")
