"""`manage.py ingest URL [URL ...] [--sync] [--json]`: submit links like the browser form."""

import json
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError

from apps.sources.models import Source
from apps.sources.pipeline.inline import run_until_final
from apps.sources.pipeline.queue import inline_pipeline
from apps.sources.services import source_retry, urls_submit


class Command(BaseCommand):
    help = (
        "Submit links to the ingest pipeline. Without --sync they are queued for the "
        "workers; with --sync every stage runs here and the command returns when each "
        "link is done, failed, blocked or has no content."
    )

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="+", metavar="URL")
        parser.add_argument("--sync", action="store_true", help="run every stage in-process")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="one JSON object per line"
        )
        parser.add_argument("--note", default="", help="a note kept with the submission")
        parser.add_argument(
            "--reingest", action="store_true", help="run links already in the base again"
        )

    def handle(self, *args, urls, sync, as_json: bool, note, reingest, **options):
        # With --sync nothing goes to the broker: the loop below runs each stage here.
        with inline_pipeline() if sync else nullcontext():
            result = urls_submit("\n".join(urls), note=note)
        for error in result.errors:
            self._emit(
                {
                    "url": error.text,
                    "status": "invalid",
                    "reason": error.reason,
                    "line": error.line,
                },
                as_json=as_json,
            )
        for item in result.accepted:
            source = item.source
            if reingest and not item.created:
                with inline_pipeline() if sync else nullcontext():
                    source_retry(source)
            if sync:
                source = run_until_final(source.pk)
            else:
                source.refresh_from_db()
            self._emit(_describe(source, created=item.created), as_json=as_json)
        if result.errors:
            raise CommandError(f"{len(result.errors)} of {len(urls)} links were not accepted")

    def _emit(self, row: dict, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(row, ensure_ascii=False))
            return
        where = f"#{row['id']} " if row.get("id") else ""
        reason = f": {row['reason']}" if row.get("reason") else ""
        title = f" ({row['title']})" if row.get("title") else ""
        self.stdout.write(f"{where}{row['url']} {row['status']}{reason}{title}")


def _describe(source: Source, *, created: bool) -> dict:
    return {
        "id": source.pk,
        "url": source.url,
        "canonical_url": source.canonical_url,
        "created": created,
        "status": source.status,
        "reason": source.failure_message,
        "reason_code": source.failure_code,
        "title": source.title,
        "text": source.extracted_text,
    }
