"""`manage.py classify FILE`: extract (HTML) and classify one file, print it, save nothing."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.classification.base import Page
from apps.classification.schema import ClassificationError, ClassificationResult
from apps.records.format import Record
from apps.records.writer import render_record
from apps.sources.pipeline.classify import classifier_for, result_as_record, vocabulary_now
from apps.sources.pipeline.extract import extract_html
from apps.sources.pipeline.failures import Blocked, Failure, NoContent

CLASSIFIERS = ("local", "llm")
HTML_SUFFIXES = (".html", ".htm")
PLACEHOLDER_URL = "https://example.invalid/{name}"


class Command(BaseCommand):
    help = (
        "Classify a file without saving anything and print the record. An .html/.htm file is "
        "extracted first; any other file is classified as plain text (its first line is the "
        "title). The vocabulary is the database's approved themes, categories and types."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="an .html/.htm page or a plain-text file")
        parser.add_argument(
            "--classifier",
            choices=CLASSIFIERS,
            help="which classifier (default: the SPYGLASS_CLASSIFIER setting)",
        )
        parser.add_argument(
            "--format",
            choices=("json", "markdown"),
            default="json",
            help="JSON in the result schema (default) or a Markdown record",
        )
        parser.add_argument(
            "--url",
            default="",
            help="the page's URL: given to extraction and the classifier, and written as the "
            "record's link; without it the Markdown record links to "
            "https://example.invalid/<file name>",
        )

    def handle(self, *args, file: str, classifier: str | None, format: str, url: str, **options):
        name = classifier or settings.SPYGLASS_CLASSIFIER
        if name not in CLASSIFIERS:
            raise CommandError(f"unknown classifier {name!r}; use one of {', '.join(CLASSIFIERS)}")
        path = Path(file)
        page = self._page(path, url)
        try:
            # Built inside: an unconfigured llm classifier raises here.
            result = classifier_for(name).classify(page, vocabulary_now())
        except ClassificationError as error:
            kind = "temporarily failed" if getattr(error, "transient", False) else "failed"
            raise CommandError(f"classification {kind}: {error}") from None
        if format == "json":
            self.stdout.write(result.model_dump_json(indent=2))
        else:
            record_url = url or PLACEHOLDER_URL.format(name=path.name.replace(" ", "%20"))
            self.stdout.write(render_record(_record(page, result, record_url)), ending="")

    def _page(self, path: Path, url: str) -> Page:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror or error}") from None
        text = data.decode("utf-8", errors="replace")
        if path.suffix.lower() not in HTML_SUFFIXES:
            text = text.strip()
            if not text:
                raise CommandError(f"{path} is empty: nothing to classify")
            title = next(line.strip() for line in text.splitlines() if line.strip())
            return Page(url=url, title=title[:500], text=text)
        try:
            found = extract_html(text, url=url)
        except (Blocked, NoContent, Failure) as error:
            raise CommandError(
                f"cannot extract {path}: {getattr(error, 'message', error)}"
            ) from None
        return Page(
            url=url,
            title=found.title,
            text=found.text,
            site_name=found.site_name,
            description=found.description,
            published=found.published_on,
            language=found.language,
        )


def _record(page: Page, result: ClassificationResult, url: str) -> Record:
    return result_as_record(result, title=page.title or url, url=url)
