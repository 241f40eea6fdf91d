"""Verify the processing log's hash chain; exit 1 naming the first broken record."""

from django.core.management.base import BaseCommand, CommandError

from privacy.services import processing_log_verify


class Command(BaseCommand):
    help = "Controleer de hashketen van het verwerkingenlog."

    def handle(self, *args, **options):
        report = processing_log_verify()
        if report.first_break is not None:
            problem = {
                "link": "verwijst niet naar de hash van het vorige record (record verwijderd of "
                "ingevoegd)",
                "content": "inhoud klopt niet met de opgeslagen hash (record gewijzigd)",
            }[report.first_break.problem]
            raise CommandError(
                f"Verwerkingenlog beschadigd: record {report.first_break.record_id} {problem}. "
                f"{report.checked} records gecontroleerd."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Verwerkingenlog in orde: {report.checked} records gecontroleerd.")
        )
