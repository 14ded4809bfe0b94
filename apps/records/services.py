"""Importing records into the knowledge base.

A record is written whole or not at all (one transaction per record). Re-importing the
same canonical URL updates the source in place, and never overwrites what an editor
curated: curated fields, editor-added findings and editor-added themes all survive.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction

from apps.core.audit import audit_changes, audit_record
from apps.core.models import AuditEntry, Origin
from apps.records.apply import record_apply
from apps.records.format import Record, RecordError
from apps.records.parser import parse_record
from apps.sources.canonical import canonical_url
from apps.sources.models import Source

RECORD_SUFFIXES = (".md", ".txt", ".markdown")


@dataclass
class ImportResult:
    source: Source
    created: bool
    changed: list[str] = field(default_factory=list)


def record_import(
    record: Record, *, actor=None, origin: str = Origin.IMPORT, provenance: dict | None = None
) -> ImportResult:
    """Create or update the source a record describes, with everything it holds.

    `provenance` says where the record came from ({"file": name, "via": command}); a new
    source's import entry in the audit trail keeps it, and its page shows it.
    """
    canonical = canonical_url(record.url)
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(canonical_url=canonical).first()
        created = source is None
        if created:
            source = Source(
                url=record.url,
                canonical_url=canonical,
                status=Source.Status.DONE,
                submitted_by=actor,
            )
        changes = record_apply(source, record, origin=origin, actor=actor)
        if created:
            audit_record(
                source,
                action=AuditEntry.Action.IMPORT,
                origin=origin,
                actor=actor,
                new=provenance or None,
            )
        elif changes:
            audit_changes(source, changes=changes, origin=origin, actor=actor)
    return ImportResult(source=source, created=created, changed=sorted(changes))


def record_import_file(path: Path, *, actor=None, via: str = "") -> ImportResult:
    """Parse and import one file; a RecordError names the file, line and problem.

    `via` names what imported it (a command), for the source's provenance.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RecordError(f"cannot read the file ({error.strerror})", path=str(path)) from None
    record = parse_record(data, path=str(path))
    try:
        provenance = {"file": path.name, **({"via": via} if via else {})}
        return record_import(record, actor=actor, provenance=provenance)
    except DatabaseError as error:
        raise RecordError(
            f"the record could not be stored ({error}); nothing of it was saved", path=str(path)
        ) from None


def record_files(paths: list[str]) -> tuple[list[Path], list[RecordError]]:
    """Expand files and folders into record files, in a stable order."""
    files, errors = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(
                    child
                    for child in path.rglob("*")
                    if child.is_file()
                    and child.suffix.lower() in RECORD_SUFFIXES
                    and not any(part.startswith(".") for part in child.relative_to(path).parts)
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            errors.append(RecordError("no such file or folder", path=raw))
    return files, errors
