"""`manage.py metrics_reset`: empty the workers' metrics folder before the stack starts."""

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.core.metrics import files_reset


class Command(BaseCommand):
    help = (
        "Delete the workers' metrics files (SPYGLASS_VAR_DIR/metrics). Run it before web and "
        "workers start, never while workers run: `make run` and the compose file's migrate "
        "service do."
    )

    def handle(self, *args, **options):
        removed = files_reset(settings.METRICS_DIR)
        self.stdout.write(f"Removed {removed} metrics files from {settings.METRICS_DIR}.")
