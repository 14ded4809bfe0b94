"""Importing records into the knowledge base.

A record is written whole or not at all (one transaction per record). Re-importing the
same canonical URL updates the source in place, and never overwrites what an editor
curated: curated fields, editor-added findings and editor-added themes all survive.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction

from apps.core.audit import audit_changes, audit_record
from apps.core.curation import apply_machine_values
from apps.core.models import AuditEntry, Origin
from apps.knowledge.models import FINDING_MODELS, Finding
from apps.knowledge.services import (
    category_for_name,
    source_type_for_name,
    theme_for_name,
)
from apps.knowledge.vocabulary import name_key
from apps.records.format import FINDING_COLUMNS, SIGNAL_COLUMNS, FindingRow, Record, RecordError
from apps.records.parser import parse_record
from apps.sources.canonical import canonical_url
from apps.sources.models import ExtraSection, Source, SourceTheme
from apps.sources.services import keywords_replace

RECORD_SUFFIXES = (".md", ".txt", ".markdown")


@dataclass
class ImportResult:
    source: Source
    created: bool
    changed: list[str] = field(default_factory=list)


def record_import(record: Record, *, actor=None, origin: str = Origin.IMPORT) -> ImportResult:
    """Create or update the source a record describes, with everything it holds."""
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
        changes = _apply_source_fields(source, record, origin)
        source.save()
        changes.update(keywords_replace(source, record.keywords, origin=origin))
        changes.update(_sync_themes(source, record.themes, origin, actor))
        for kind in FINDING_MODELS:
            changes.update(_sync_findings(source, kind, record.findings(kind), origin))
        _replace_extra_sections(source, record)
        if created:
            audit_record(source, action=AuditEntry.Action.IMPORT, origin=origin, actor=actor)
        elif changes:
            audit_changes(source, changes=changes, origin=origin, actor=actor)
    return ImportResult(source=source, created=created, changed=sorted(changes))


def record_import_file(path: Path, *, actor=None) -> ImportResult:
    """Parse and import one file; a RecordError names the file, line and problem."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RecordError(f"cannot read the file ({error.strerror})", path=str(path)) from None
    record = parse_record(data, path=str(path))
    try:
        return record_import(record, actor=actor)
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


def _apply_source_fields(source: Source, record: Record, origin: str) -> dict[str, tuple]:
    changes = {}
    for name in ("via_url", "via_label"):
        value = getattr(record, name)
        if getattr(source, name) != value:
            changes[name] = (getattr(source, name), value)
            setattr(source, name, value)
    source.other_fields = [list(pair) for pair in record.other_fields]
    # Lists kept as the machine gave them, beside their link tables.
    source.machine_values["keywords"] = record.keywords
    source.machine_values["themes"] = record.themes
    values = {
        "title": record.title,
        "summary": record.summary,
        "category": category_for_name(record.category) if record.category else None,
        "source_type": source_type_for_name(record.source_type) if record.source_type else None,
    }
    changes.update(apply_machine_values(source, values, origin=origin))
    return changes


def _sync_themes(source: Source, names: list[str], origin: str, actor) -> dict[str, tuple]:
    """Machine links follow the record; links an editor added stay."""
    existing = {link.theme_id: link for link in source.theme_links.select_related("theme")}
    old = [link.theme.name for link in existing.values()]
    wanted = []
    for name in names:
        theme = theme_for_name(name)
        if theme is not None and theme not in wanted:
            wanted.append(theme)
    wanted_ids = {theme.pk for theme in wanted}
    stale = [
        link.pk
        for theme_id, link in existing.items()
        if theme_id not in wanted_ids and link.origin != Origin.EDITOR
    ]
    SourceTheme.objects.filter(pk__in=stale).delete()
    for position, theme in enumerate(wanted):
        link = existing.get(theme.pk)
        if link is None:
            SourceTheme.objects.create(
                source=source, theme=theme, position=position, origin=origin, added_by=actor
            )
        elif link.position != position and link.origin != Origin.EDITOR:
            SourceTheme.objects.filter(pk=link.pk).update(position=position)
    new = [theme.name for theme in wanted]
    return {"themes": (old, new)} if old != new else {}


def _sync_findings(
    source: Source, kind: str, rows: list[FindingRow], origin: str
) -> dict[str, tuple]:
    """Match rows to findings by name (as the machine gave it) and refresh machine values.

    Findings an editor added, or whose values an editor curated, are never deleted.
    """
    model = FINDING_MODELS[kind]
    columns = SIGNAL_COLUMNS if kind == "signals" else FINDING_COLUMNS
    existing: dict[str, list[Finding]] = defaultdict(list)
    for finding in model.objects.filter(source=source):
        existing[name_key(finding.machine_values.get("name", finding.name))].append(finding)
    created, changed = [], False
    for position, row in enumerate(rows):
        matches = existing.get(name_key(row.name))
        finding = matches.pop(0) if matches else model(source=source)
        field_changes = apply_machine_values(finding, row.values(columns), origin=origin)
        if finding.pk is None:
            finding.position = position
            created.append(finding)
        elif field_changes or finding.position != position:
            finding.position = position
            finding.save()
            changed = True
        else:
            model.objects.filter(pk=finding.pk).update(machine_values=finding.machine_values)
    model.objects.bulk_create(created)
    leftovers = [
        finding.pk
        for findings in existing.values()
        for finding in findings
        if finding.origin != Origin.EDITOR and not finding.curated
    ]
    model.objects.filter(pk__in=leftovers).delete()
    if changed or leftovers or created:
        return {kind: (None, [row.name for row in rows])}
    return {}


def _replace_extra_sections(source: Source, record: Record) -> None:
    source.extra_sections.all().delete()
    ExtraSection.objects.bulk_create(
        ExtraSection(source=source, position=position, heading=extra.heading, body=extra.body)
        for position, extra in enumerate(record.extra_sections)
    )
