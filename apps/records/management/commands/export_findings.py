"""`manage.py export_findings KIND [filters] --format csv|json`: the explorer's findings for
a report, filtered exactly as the explorer page and the API filter them."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.knowledge.explorer import KINDS, SORTS, FindingFilterForm, findings_filtered
from apps.records.findings_export import findings_csv, findings_json

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
            text = findings_csv(findings, kind=kind)
        else:
            text = json.dumps(findings_json(findings, kind=kind), ensure_ascii=False, indent=2)
        if not out:
            self.stdout.write(text, ending="" if format == "csv" else "\n")
            return
        try:
            Path(out).write_text(text, encoding="utf-8", newline="")
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror or error}") from None
        self.stderr.write(f"Wrote the {kind} to {out}")
