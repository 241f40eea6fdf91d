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
            self.stdout.write("Demo-modus staat uit: er zijn geen demo-logins.")
            return
        suffixed = "|".join(MUNICIPALITY_LOGINS)
        found = get_user_model().objects.filter(
            Q(username__in=[*DEMO_USERNAMES, REGION_USERNAME])
            | Q(username__regex=rf"^({suffixed})\.[a-z]+$")
        )
        users = {u.username: u for u in found}
        password = os.environ.get("DEMO_PASSWORD", "demo-wachtwoord-2026")
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000 and log in as one of (demo mode only):")
        self.stdout.write("  Hilversum:")
        for name in DEMO_USERNAMES:
            if name in users:
                self.stdout.write(f"    {name:<24} {users[name].get_role_display()}")
        keys = sorted({u.split(".", 1)[1] for u in users if "." in u})
        for key in keys:
            self.stdout.write(f"  {key}:")
            for name in MUNICIPALITY_LOGINS:
                username = f"{name}.{key}"
                if username in users:
                    self.stdout.write(f"    {username:<24} {users[username].get_role_display()}")
        if REGION_USERNAME in users:
            self.stdout.write("  regio:")
            self.stdout.write(
                f"    {REGION_USERNAME:<24} {users[REGION_USERNAME].get_role_display()}"
            )
        self.stdout.write(f"  password for all: {password}")
        self.stdout.write("Stop everything with Ctrl-C.")
        self.stdout.write("")
