import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

#: the demo logins (caseload.demo.parameters.DEMO_USERS; common does not import caseload)
DEMO_USERNAMES = [
    "consulent",
    "teamleider",
    "manager",
    "financien",
    "beheer",
    "privacy",
    "accountmanager",
]


class Command(BaseCommand):
    help = "Print the demo logins (demo mode only)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            self.stdout.write("Demo-modus staat uit: er zijn geen demo-logins.")
            return
        found = get_user_model().objects.filter(username__in=DEMO_USERNAMES)
        users = {u.username: u for u in found}
        password = os.environ.get("DEMO_PASSWORD", "demo-wachtwoord-2026")
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000 and log in as one of (demo mode only):")
        for name in DEMO_USERNAMES:
            if name in users:
                self.stdout.write(f"  {name:<15} {users[name].get_role_display()}")
        self.stdout.write(f"  password for all: {password}")
        self.stdout.write("Stop everything with Ctrl-C.")
        self.stdout.write("")
