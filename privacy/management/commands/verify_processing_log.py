"""Verify the processing log: its keyed hash chain and every signed checkpoint outside the
database; exit 1 naming the first broken record and every checkpoint that does not match."""

from django.core.management.base import BaseCommand, CommandError

from privacy.chain import checkpoint_dir
from privacy.services import processing_log_verify

PROBLEMS = {
    "link": "verwijst niet naar de hash van het vorige record (record verwijderd of ingevoegd)",
    "content": "inhoud klopt niet met de opgeslagen hash (record gewijzigd of keten herberekend "
    "zonder de sleutel)",
    "key": "is verzegeld met een onbekende sleutel (keten herberekend zonder de sleutel, of "
    "sleutel ontbreekt in PROCESSING_LOG_HMAC_RETIRED_KEYS)",
    "downgrade": "heeft geen sleutel terwijl een eerder record er wel een heeft (keten "
    "herberekend zonder de sleutel)",
}


class Command(BaseCommand):
    help = "Controleer de hashketen van het verwerkingenlog en de checkpoints buiten de database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            dest="checkpoint_dir",
            default=None,
            help="Map met checkpoints (standaard PROCESSING_LOG_CHECKPOINT_DIR), bijvoorbeeld "
            "een kopie uit de WORM-opslag.",
        )

    def handle(self, *args, **options):
        directory = options["checkpoint_dir"] or checkpoint_dir()
        report = processing_log_verify(checkpoint_dir=directory)
        if not report.ok:
            lines = []
            if report.first_break is not None:
                lines.append(
                    f"record {report.first_break.record_id} {PROBLEMS[report.first_break.problem]}"
                )
            lines.extend(report.checkpoint_problems)
            raise CommandError(
                "Verwerkingenlog beschadigd: "
                + "; ".join(lines)
                + f". {report.checked} records en {report.checkpoints} checkpoints gecontroleerd."
            )
        if report.checkpoints == 0:
            self.stderr.write(
                f"Let op: geen checkpoints gevonden in {directory}; verwijderde records zijn "
                "dan niet vast te stellen (docs/privacy.md)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Verwerkingenlog in orde: {report.checked} records en {report.checkpoints} "
                "checkpoints gecontroleerd."
            )
        )
