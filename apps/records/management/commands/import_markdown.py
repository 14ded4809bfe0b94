"""`manage.py import_markdown PATH [PATH ...]`: import Markdown records, file by file, and
restore backup zips (each whole or not at all)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from apps.records.backup import BackupError, backup_restore
from apps.records.format import RecordError
from apps.records.services import record_files, record_import_file


class Command(BaseCommand):
    help = (
        "Import records in the Markdown exchange format from files and folders. Each file "
        "is imported whole or not at all; a bad file is reported and the others go on. "
        "A .zip written by export_markdown --zip is restored as a backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="record files, folders, or backup .zip files")

    def handle(self, *args, paths: list[str], **options):
        backups = [path for path in paths if path.lower().endswith(".zip") and Path(path).is_file()]
        files, failures = record_files([path for path in paths if path not in backups])
        for error in failures:
            self.stderr.write(self.style.ERROR(error.located()))
        restored = self._restore(backups)
        created = updated = unchanged = 0
        for path in files:
            try:
                result = record_import_file(path, via="manage.py import_markdown")
            except RecordError as error:
                failures.append(error)
                self.stderr.write(self.style.ERROR(error.located()))
                continue
            if result.created:
                created += 1
                state = "created"
            elif result.changed:
                updated += 1
                state = "updated (" + ", ".join(result.changed) + ")"
            else:
                unchanged += 1
                state = "unchanged"
            self.stdout.write(f"{path}: source #{result.source.pk} {state}")
        # A run given only backups has no record files to count: their own line says it all.
        counts = f"{created} created, {updated} updated, {unchanged} unchanged"
        parts = [counts] if files or not backups else []
        if backups:
            noun = ngettext("backup", "backups", len(backups))
            parts.append(f"{restored} of {len(backups)} {noun} restored")
        summary = ", ".join(parts)
        if failures or restored < len(backups):
            failed = len(failures) + len(backups) - restored
            raise CommandError(f"{summary}; {failed} failed (see above)")
        self.stdout.write(self.style.SUCCESS(summary))

    def _restore(self, backups: list[str]) -> int:
        """Restore each backup zip; returns how many were restored."""
        restored = 0
        for path in backups:
            try:
                result = backup_restore(Path(path), via="manage.py import_markdown")
            except BackupError as error:
                self.stderr.write(self.style.ERROR(f"{path}: nothing restored: {error}"))
                continue
            restored += 1
            self.stdout.write(f"{path}: backup restored ({result})")
        return restored
