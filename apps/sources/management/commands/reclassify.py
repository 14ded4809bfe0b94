"""`manage.py reclassify`: queue final sources for the classify stage again.

Only machine-made values are replaced when they run; what editors curated or added stays.
"""

from django.core.management.base import BaseCommand, CommandError

from apps.knowledge.models import Category, Theme
from apps.knowledge.vocabulary import name_key
from apps.sources.models import Source
from apps.sources.pipeline.queue import FINAL
from apps.sources.services import CLASSIFIERS, source_reclassify, sources_failed_classification


class Command(BaseCommand):
    help = (
        "Queue sources for re-classification. Choose them by SOURCE_ID, --failed (failed in the "
        "classify stage) or --all; --theme and --category narrow that choice, or choose on "
        "their own when nothing else is given. Sources that are not final or have no text "
        "are skipped and listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("source_ids", nargs="*", type=int, metavar="SOURCE_ID")
        parser.add_argument(
            "--failed", action="store_true", help="every source whose classification failed"
        )
        parser.add_argument("--all", action="store_true", help="every source")
        parser.add_argument("--theme", metavar="SLUG", help="sources linked to this theme")
        parser.add_argument("--category", metavar="NAME", help="sources of this category")
        parser.add_argument(
            "--classifier",
            choices=CLASSIFIERS,
            default="",
            help="use this classifier for this run (default: the SPYGLASS_CLASSIFIER setting)",
        )

    def handle(self, *args, source_ids, failed, all, theme, category, classifier, **options):
        if not (source_ids or failed or all or theme or category):
            raise CommandError(
                "Choose sources: SOURCE_ID ..., --failed, --theme, --category or --all."
            )
        sources = self._selection(source_ids, failed, all, theme, category)
        missing = sorted(
            set(source_ids)
            - set(Source.objects.filter(pk__in=source_ids).values_list("pk", flat=True))
        )
        for pk in missing:
            self.stderr.write(f"There is no source #{pk}.")
        sources = list(sources.order_by("pk"))
        if not sources:
            raise CommandError("No source matches.")
        queued, skipped = 0, []
        for source in sources:
            if source_reclassify(source, classifier=classifier):
                queued += 1
            else:
                skipped.append((source, _why_skipped(source)))
        using = classifier or "the default classifier"
        self.stdout.write(f"Queued {queued} source{'s' if queued != 1 else ''} ({using}).")
        for source, reason in skipped:
            self.stdout.write(f"Skipped #{source.pk}: {reason}.")
        if not queued:
            raise CommandError("Nothing was queued.")

    def _selection(self, source_ids, failed, all, theme, category):
        if all:
            sources = Source.objects.all()
        else:
            sources = Source.objects.none()
            if source_ids:
                sources = sources | Source.objects.filter(pk__in=source_ids)
            if failed:
                sources = sources | sources_failed_classification()
            if not (source_ids or failed):
                sources = Source.objects.all()  # --theme / --category alone
        if theme:
            found = Theme.objects.filter(slug=name_key(theme)).first()
            if found is None:
                raise CommandError(f"There is no theme {theme!r}.")
            sources = sources.filter(themes=found)
        if category:
            found = (
                Category.objects.filter(name__iexact=category.strip()).first()
                or Category.objects.filter(slug=category.strip().lower()).first()
            )
            if found is None:
                raise CommandError(f"There is no category {category!r}.")
            sources = sources.filter(category=found)
        return sources.distinct()


def _why_skipped(source: Source) -> str:
    source.refresh_from_db(fields=["status", "extracted_text"])
    if source.status not in FINAL:
        return f"not final ({source.status})"
    if not source.extracted_text:
        return "no text"
    return "not queued"
