"""`manage.py export_findings KIND [filters] --format csv|json`: the explorer's findings for
a report, filtered exactly as the explorer page and the API filter them."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.knowledge.explorer import KINDS, SORTS, FindingFilterForm, findings_filtered
from apps.records.findings_export import csv_chunks, json_chunks

# Command option -> explorer query parameter (the form's field names).
OPTIONS = {
    "theme": "theme",
    "match": "match",
    "category": "category",
    "type": "type",
    "min_relevancy": "min_relevancy",
    "date_from": "date_from",
    "date_to": "date_to",
    "source": "source",
    "q": "q",
    "sort": "sort",
}

FLAGS = {"date_from": "--from", "date_to": "--to", "min_relevancy": "--min-relevancy"}


class Command(BaseCommand):
    help = "Write the findings of one kind, filtered as in the explorer, as CSV or JSON."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS, help="which findings")
        parser.add_argument("--theme", action="append", default=[], help="theme slug (repeat)")
        parser.add_argument("--match", choices=["any", "all"], help="any (default) or all themes")
        parser.add_argument("--category", help="category name")
        parser.add_argument("--type", help="source type name")
        parser.add_argument("--min-relevancy", dest="min_relevancy", help="1 to 5")
        parser.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="YYYY-MM-DD")
        parser.add_argument("--source", help="source id")
        parser.add_argument("--q", help="text every result contains")
        parser.add_argument("--sort", choices=list(SORTS), help="default -relevancy")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--out", help="file to write (default: standard output)")

    def handle(self, *args, kind: str, format: str, out: str | None, **options):
        data = {param: options[name] for name, param in OPTIONS.items() if options[name]}
        form = FindingFilterForm(data)
        if not form.is_valid():
            problems = " ".join(
                f"{FLAGS.get(field, '--' + field)}: {' '.join(errors)}"
                for field, errors in form.errors.items()
            )
            raise CommandError(f"Nothing exported. {problems}")
        findings = findings_filtered(kind, form.applied())
        if format == "csv":
            chunks = csv_chunks(findings, kind=kind)
        else:
            chunks = json_chunks(findings, kind=kind, indent=2, ensure_ascii=False)
        if not out:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            if format == "json":
                self.stdout.write("")
            return
        self._write(Path(out), chunks)
        self.stderr.write(f"Wrote the {kind} to {out}")

    def _write(self, path: Path, chunks) -> None:
        # Streamed beside the target and renamed at the end: an export that fails halfway
        # never leaves a truncated file under the name the user asked for.
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8", newline="") as file:
                for chunk in chunks:
                    file.write(chunk)
            os.replace(partial, path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {path}: {error.strerror or error}") from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
