"""Permission codenames of the privacy app (one enum per app; the role mapping is
``settings.ROLE_PERMISSIONS``, see docs/security.md)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class PrivacyPermission(TextChoices):
    #: the processing log, break-the-glass review of all teams, retention, AVG inzage
    VIEW_PROCESSING_LOG = "privacy.view_processing_log", _("Verwerkingenlog inzien (FG)")
