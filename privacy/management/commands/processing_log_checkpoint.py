"""Write a signed checkpoint of the processing log's head outside the database (on demand;
Celery beat writes one every PROCESSING_LOG_CHECKPOINT_MINUTES)."""

from django.core.management.base import BaseCommand

from privacy.chain import checkpoint_write


class Command(BaseCommand):
    help = "Schrijf een ondertekend checkpoint van het verwerkingenlog buiten de database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            dest="checkpoint_dir",
            default=None,
            help="Map voor het checkpoint (standaard PROCESSING_LOG_CHECKPOINT_DIR).",
        )

    def handle(self, *args, **options):
        path = checkpoint_write(directory=options["checkpoint_dir"], force=True)
        self.stdout.write(self.style.SUCCESS(f"Checkpoint geschreven: {path}"))
