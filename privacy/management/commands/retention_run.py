"""Run the retention job now (normally nightly by Celery beat): anonymise overdue dossiers."""

import datetime as dt

from django.core.management.base import BaseCommand

from privacy.services import retention_run


class Command(BaseCommand):
    help = "Anonimiseer dossiers waarvan de bewaartermijn is verstreken."

    def add_arguments(self, parser):
        parser.add_argument("--vandaag", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, vandaag=None, **options):
        done = retention_run(today=vandaag)
        self.stdout.write(f"{done} dossier(s) geanonimiseerd.")
