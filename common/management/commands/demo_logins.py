import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db.models import Q

#: the demo logins (caseload.demo.parameters; common does not import caseload): Hilversum's
#: original logins, then per other municipality ``<name>.<municipality>`` (issue 17)
DEMO_USERNAMES = [
    "consulent",
    "teamleider",
    "manager",
    "financien",
    "beheer",
    "privacy",
    "accountmanager",
]
#: the logins every other demo municipality has, as ``<name>.<key>`` (consulent.groningen)
MUNICIPALITY_LOGINS = ["consulent", "teamleider", "manager", "financien"]
#: the regional login: the region's aggregates and the comparison, no dossier
REGION_USERNAME = "regio"


class Command(BaseCommand):
    help = "Print the demo logins (demo mode only)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            self.stdout.write("Demomodus staat uit: er zijn geen demo-logins.")
            return
        suffixed = "|".join(MUNICIPALITY_LOGINS)
        found = (
            get_user_model()
            .objects.filter(
                Q(username__in=[*DEMO_USERNAMES, REGION_USERNAME])
                | Q(username__regex=rf"^({suffixed})\.[a-z]+$")
            )
            .select_related("municipality", "team__municipality")
        )
        users = {u.username: u for u in found}
        password = os.environ.get("DEMO_PASSWORD", "demo-wachtwoord-2026")
        self.stdout.write("")
        self.stdout.write(
            "Open http://127.0.0.1:8000 en log in als een van deze gebruikers "
            "(alleen in demomodus):"
        )
        # per municipality: the label if none of its logins names one, and its logins
        groups = [("Hilversum", DEMO_USERNAMES)] + [
            (key.capitalize(), [f"{name}.{key}" for name in MUNICIPALITY_LOGINS])
            for key in sorted({u.split(".", 1)[1] for u in users if "." in u})
        ]
        for fallback, usernames in groups:
            present = [users[name] for name in usernames if name in users]
            if not present:
                continue
            self.stdout.write(f"  {_municipality_name(present, default=fallback)}:")
            for user in present:
                self.stdout.write(f"    {user.username:<24} {user.get_role_display()}")
        if REGION_USERNAME in users:
            self.stdout.write("  Regio:")
            self.stdout.write(
                f"    {REGION_USERNAME:<24} {users[REGION_USERNAME].get_role_display()}"
            )
        self.stdout.write(f"  wachtwoord voor alle logins: {password}")
        self.stdout.write("Stop alles met Ctrl-C.")
        self.stdout.write("")


def _municipality_name(users, *, default: str) -> str:
    """The display name of the municipality the group's logins work for (a team's, or the
    staff member's own); ``default`` when none of them has one."""
    for user in users:
        municipality = user.municipality or (user.team.municipality if user.team else None)
        if municipality is not None:
            return municipality.name
    return default
