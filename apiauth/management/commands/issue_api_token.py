"""Issue an API token: ``manage.py issue_api_token <username> --scopes caseload:read ...``.

The secret is printed once; only its SHA-256 is stored. With ``--service-account GM0402`` a
non-personal service account is created for that municipality when the user does not exist.

A key with a resident-data scope (caseload, intake) works only after the privacy officer approved
it on the page "API-sleutels goedkeuren"; ``--requested-by`` records who asked for it (the
requester can never approve it). Every key expires (``--expires-in-days``, default
``API_TOKEN_DEFAULT_LIFETIME_DAYS``).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apiauth import services
from apiauth.scopes import SCOPES, scopes_without_permission
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
        parser.add_argument(
            "--requested-by",
            metavar="USERNAME",
            help="Wie de sleutel aanvraagt (komt in het verwerkingenlog; beoordeelt hem nooit).",
        )
        parser.add_argument(
            "--expires-in-days",
            type=int,
            metavar="DAYS",
            help="Geldigheid in dagen (standaard API_TOKEN_DEFAULT_LIFETIME_DAYS).",
        )

    def handle(self, *args, username: str, scopes: list[str], name: str, **options):
        municipality = None
        code = options.get("service_account") or options.get("municipality")
        if code:
            municipality = Municipality.objects.filter(cbs_code=code).first()
            if municipality is None:
                raise CommandError(f"Onbekende gemeente {code}.")
        requested_by = None
        if options.get("requested_by"):
            requested_by = User.objects.filter(username=options["requested_by"]).first()
            if requested_by is None:
                raise CommandError(f"Onbekende aanvrager {options['requested_by']}.")
        expires_at = None
        if options.get("expires_in_days") is not None:
            if options["expires_in_days"] < 1:
                raise CommandError("--expires-in-days moet ten minste 1 zijn.")
            expires_at = timezone.now() + dt.timedelta(days=options["expires_in_days"])
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
                created_by=requested_by,
                expires_at=expires_at,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(
            f"Sleutel {token.name!r} ({', '.join(token.scopes)}) aangemaakt, geldig tot "
            f"{timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}. "
            "Bewaar hem nu: hij wordt niet opnieuw getoond."
        )
        if token.approval == token.Approval.PENDING:
            self.stderr.write(
                "De sleutel geeft toegang tot inwonergegevens en werkt pas na goedkeuring door "
                "de privacyfunctionaris (menu 'API-sleutels goedkeuren')."
            )
        unusable = scopes_without_permission(token.user, token.scopes)
        if unusable:
            self.stderr.write(
                "Let op: het account heeft niet de rechten voor " + ", ".join(unusable) + "; "
                "aanroepen van die onderdelen krijgen 403 (voor een serviceaccount: "
                "SERVICE_ACCOUNT_PERMISSIONS, docs/api.md)."
            )
        self.stdout.write(secret)
