"""`manage.py import_markdown PATH [PATH ...]`: import Markdown records, file by file."""

from django.core.management.base import BaseCommand, CommandError

from apps.records.format import RecordError
from apps.records.services import record_files, record_import_file


class Command(BaseCommand):
    help = (
        "Import records in the Markdown exchange format from files and folders. Each file "
        "is imported whole or not at all; a bad file is reported and the others go on."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="record files or folders of them")

    def handle(self, *args, paths: list[str], **options):
        files, failures = record_files(paths)
        for error in failures:
            self.stderr.write(self.style.ERROR(error.located()))
        created = updated = unchanged = 0
        for path in files:
            try:
                result = record_import_file(path)
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
        summary = f"{created} created, {updated} updated, {unchanged} unchanged"
        if failures:
            raise CommandError(f"{summary}; {len(failures)} failed (see above)")
        self.stdout.write(self.style.SUCCESS(summary))
