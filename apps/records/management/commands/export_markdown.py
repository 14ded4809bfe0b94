"""`manage.py export_markdown SOURCE_ID` / `--all --out DIR` / `--zip FILE`: write records
as Markdown, or the whole knowledge base as a backup zip."""

import hashlib
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.records.backup import BackupError, backup_write
from apps.records.selectors import iter_records, record_from_source, sources_for_export
from apps.records.writer import render_record
from apps.sources.models import Source


class Command(BaseCommand):
    help = (
        "Print one source as a Markdown record, write every source to a folder, or write "
        "a backup zip (records + manifest with provenance) that import_markdown restores."
    )

    def add_arguments(self, parser):
        parser.add_argument("source_id", nargs="?", type=int, help="the source to print")
        parser.add_argument("--all", action="store_true", help="export every source")
        parser.add_argument("--out", help="folder for --all (one file per source)")
        parser.add_argument("--zip", dest="zip_path", help="write a backup zip to this file")

    def handle(self, *args, source_id: int | None, all: bool, out: str | None, **options):
        zip_path = options.get("zip_path")
        if sum([all, source_id is not None, bool(zip_path)]) != 1:
            raise CommandError("Give either a SOURCE_ID, --all --out DIR or --zip FILE.")
        if zip_path:
            self._backup(Path(zip_path))
            return
        if all:
            self._export_all(out)
            return
        try:
            source = sources_for_export().get(pk=source_id)
        except Source.DoesNotExist:
            raise CommandError(f"There is no source #{source_id}.") from None
        self.stdout.write(render_record(record_from_source(source)), ending="")

    def _export_all(self, out: str | None) -> None:
        if not out:
            raise CommandError("--all needs --out DIR, the folder to write the records to.")
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create {folder}: {error.strerror}") from None
        count = 0
        for source, record in iter_records(sources_for_export()):
            (folder / record_filename(source)).write_text(render_record(record), encoding="utf-8")
            count += 1
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} records to {folder}"))

    def _backup(self, path: Path) -> None:
        # Written beside the target and renamed at the end: a failed backup never leaves a
        # truncated zip under the name of a good one.
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("wb") as file:
                summary = backup_write(file)
            os.replace(partial, path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {path}: {error.strerror or error}") from None
        except BackupError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"No backup written: {error}") from None
        for warning in summary.inexact:
            self.stderr.write(self.style.WARNING(f"{warning}: the record cannot hold this exactly"))
        self.stdout.write(self.style.SUCCESS(f"Wrote {summary} to {path}"))


def record_filename(source: Source) -> str:
    """Stable per source: its id and a short hash of its canonical URL."""
    digest = hashlib.sha256(source.canonical_url.encode()).hexdigest()[:16]
    return f"{source.pk:06d}_{digest}.md"
