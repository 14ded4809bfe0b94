"""`manage.py clusters update|rebuild`: catch up on signals, or start the proposals again."""

from django.core.management.base import BaseCommand, CommandError

from apps.clusters import embedding
from apps.clusters.embedding import EmbeddingError
from apps.clusters.services import clusters_rebuild, clusters_update


class Command(BaseCommand):
    help = (
        "Signal clusters (docs/clusters.md). `update` embeds and places signals that are new "
        "or edited since they were placed, and refreshes every cluster's evidence strength; "
        "`rebuild` re-embeds every signal with the method in force and places again every "
        "signal the machine had placed (confirmed clusters and editors' members stay)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["update", "rebuild"])

    def handle(self, *args, action: str, **options):
        self.stdout.write(
            f"Method {embedding.current_method()}, threshold {embedding.threshold():.2f}."
        )
        try:
            counts = clusters_update() if action == "update" else clusters_rebuild()
        except EmbeddingError as error:
            raise CommandError(
                f"Stopped: {error}. Signals placed before this batch are kept; run it again "
                "once the provider answers."
            ) from None
        shown = ", ".join(f"{key} {value}" for key, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"clusters {action}: {shown}."))
