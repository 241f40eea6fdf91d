"""Issue an API token: ``manage.py issue_api_token <username> --scopes caseload:read ...``.

The secret is printed once; only its SHA-256 is stored. With ``--service-account GM0402`` a
non-personal service account is created for that municipality when the user does not exist.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from apiauth import services
from apiauth.scopes import SCOPES
from caseload.models import Municipality, User
from common.exceptions import DomainError


class Command(BaseCommand):
    help = "Maak een API-sleutel met scopes voor een (service)account; toont de sleutel één keer."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--scopes", nargs="+", required=True, choices=sorted(SCOPES), metavar="SCOPE"
        )
        parser.add_argument("--name", default="", help="Naam van de sleutel.")
        parser.add_argument(
            "--service-account",
            metavar="CBS_CODE",
            help="Maak een serviceaccount voor deze gemeente (bijv. GM0402) als het account "
            "nog niet bestaat.",
        )
        parser.add_argument(
            "--municipality", metavar="CBS_CODE", help="Beperk de sleutel tot deze gemeente."
        )

    def handle(self, *args, username: str, scopes: list[str], name: str, **options):
        municipality = None
        code = options.get("service_account") or options.get("municipality")
        if code:
            municipality = Municipality.objects.filter(cbs_code=code).first()
            if municipality is None:
                raise CommandError(f"Onbekende gemeente {code}.")
        user = User.objects.filter(username=username).first()
        try:
            if user is None:
                if not options.get("service_account"):
                    raise CommandError(
                        f"Account {username} bestaat niet; gebruik --service-account CBS_CODE."
                    )
                user = services.service_account_create(
                    username=username, municipality=municipality, description=name or username
                )
                self.stderr.write(f"Serviceaccount {username} aangemaakt.")
            token, secret = services.token_issue(
                user=user,
                name=name or f"sleutel voor {username}",
                scopes=scopes,
                municipality=municipality,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(
            f"Sleutel {token.name!r} ({', '.join(token.scopes)}) aangemaakt. "
            "Bewaar hem nu: hij wordt niet opnieuw getoond."
        )
        self.stdout.write(secret)
