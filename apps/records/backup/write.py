"""Writing a backup: one Markdown record per source, and manifest.json with the provenance."""

import dataclasses
import hashlib
import json
import shutil
import tempfile
import tomllib
import zipfile
from typing import BinaryIO

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from pydantic import ValidationError

from apps.knowledge.findings import THEMES_REMOVED
from apps.knowledge.models import FINDING_MODELS, Category, SourceType, Theme, ThemeAlias
from apps.records.backup.manifest import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_NAME,
    RecordEntry,
    manifest_problem,
)
from apps.records.backup.reader import checked_record
from apps.records.backup.results import BackupError, BackupSummary
from apps.records.backup.vocabulary import relations_for_backup
from apps.records.format import FINDING_COLUMNS, SIGNAL_COLUMNS, Record, RecordError
from apps.records.parser import parse_record
from apps.records.selectors import iter_records
from apps.records.writer import render_record
from apps.sources.models import Source, SourceKeyword, SourceTheme

TEXT_COLUMNS = {
    kind: tuple(
        c for c in (SIGNAL_COLUMNS if kind == "signals" else FINDING_COLUMNS) if c != "relevancy"
    )
    for kind in FINDING_MODELS
}
SOURCE_TEXT_FIELDS = ("title", "summary")
# Manifest entries are kept in memory up to this size, then on disk until the end.
SPOOL_BYTES = 4 * 1024 * 1024
COPY_BYTES = 256 * 1024


def backup_write(out: BinaryIO, *, sources: QuerySet[Source] | None = None) -> BackupSummary:
    """Write every source (or `sources`) and the theme vocabulary to `out` as a zip.

    Sources are read in chunks (iter_records) and each record goes into the zip as it is
    checked; its manifest entry goes to a spooled temporary file, copied into manifest.json
    last, so memory does not grow with the number of sources (docs/backup.md).
    """
    queryset = _backup_queryset()
    if sources is not None:
        queryset = queryset.filter(pk__in=sources.values("pk"))
    summary = BackupSummary(findings=dict.fromkeys(FINDING_MODELS, 0))
    slugs = dict(Theme.objects.values_list("pk", "slug"))
    with (
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as entries,
    ):
        for source, record in iter_records(queryset):
            name = f"records/{source.pk:06d}-{slugify(source.title)[:60].strip('-') or 'source'}.md"
            text, exact, inexact = _checked_text(source, record, name)
            if inexact:
                summary.inexact.append(f"source #{source.pk}: {', '.join(inexact)}")
            data = text.encode("utf-8")
            digest = hashlib.sha256(data).hexdigest()
            entry = _record_entry(source, name, digest, exact, slugs)
            _read_back(source, entry, data)
            archive.writestr(name, data)
            entries.write(_listed(entry, first=summary.sources == 0))
            summary.sources += 1
            for kind in FINDING_MODELS:
                summary.findings[kind] += len(record.findings(kind))
        vocabulary = _vocabulary()
        summary.themes, summary.aliases = len(vocabulary["themes"]), len(vocabulary["aliases"])
        head = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "app_version": app_version(),
            "counts": {"records": summary.sources, **summary.findings, "themes": summary.themes},
            "vocabulary": vocabulary,
        }
        entries.seek(0)
        with archive.open(MANIFEST_NAME, "w") as manifest:
            _write_manifest(manifest, head, entries, empty=summary.sources == 0)
    return summary


def _listed(entry: dict, *, first: bool) -> bytes:
    """One entry of the manifest's "records" list, laid out as json.dumps(indent=1) would
    lay it out inside the whole manifest (two levels deep)."""
    text = json.dumps(entry, ensure_ascii=False, indent=1).replace("\n", "\n  ")
    return (("\n  " if first else ",\n  ") + text).encode("utf-8")


def _write_manifest(manifest: BinaryIO, head: dict, entries: BinaryIO, *, empty: bool) -> None:
    """manifest.json: `head`'s keys, then "records" from `entries`; the same text as
    json.dumps({**head, "records": [...]}, ensure_ascii=False, indent=1)."""
    text = json.dumps({**head, "records": []}, ensure_ascii=False, indent=1)
    if empty:
        manifest.write(text.encode("utf-8"))
        return
    opening = text.removesuffix("[]\n}") + "["
    manifest.write(opening.encode("utf-8"))
    shutil.copyfileobj(entries, manifest, COPY_BYTES)
    manifest.write(b"\n ]\n}")


def app_version() -> str:
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as file:
            return tomllib.load(file)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _backup_queryset() -> QuerySet[Source]:
    def finding_links(model):
        links = model.themes.through.objects.select_related("theme", "added_by")
        return Prefetch("theme_links", queryset=links.order_by("position", "id"))

    return Source.objects.select_related(
        "category", "source_type", "submitted_by", "updated_by"
    ).prefetch_related(
        Prefetch("keyword_links", queryset=SourceKeyword.objects.order_by("position", "id")),
        Prefetch(
            "theme_links",
            queryset=SourceTheme.objects.select_related("theme", "added_by").order_by(
                "position", "id"
            ),
        ),
        "extra_sections",
        *(
            Prefetch(
                kind,
                queryset=model.objects.select_related("updated_by")
                .prefetch_related(finding_links(model))
                .order_by("position", "id"),
            )
            for kind, model in FINDING_MODELS.items()
        ),
    )


def _checked_text(source: Source, record: Record, name: str) -> tuple[str, dict, list[str]]:
    """The record's Markdown, read back to find the values it cannot carry exactly.

    Returns the text, {"source": {field: value}, (kind, index): {field: value}} for the
    manifest, and the parts of the record that even so will not come back as they are.
    """
    original = dataclasses.replace(record)
    if not record.title.strip():
        record.title = source.canonical_url  # the format needs a title; the manifest keeps ""
    text = render_record(record)
    try:
        parsed = parse_record(text, path=name)
    except RecordError as error:
        raise BackupError(
            f"source #{source.pk} cannot be written as a record: {error.located()}"
        ) from None
    exact = {"source": _differences(source, parsed, SOURCE_TEXT_FIELDS)}
    for kind in FINDING_MODELS:
        findings = getattr(source, kind).all()
        rows = parsed.findings(kind)
        if len(rows) != len(findings):
            raise BackupError(f"source #{source.pk}: its {kind} table does not read back whole")
        for index, (finding, row) in enumerate(zip(findings, rows, strict=True)):
            exact[(kind, index)] = _differences(finding, row, TEXT_COLUMNS[kind])
    return text, exact, _inexact_parts(original, parsed, exact)


def _read_back(source: Source, entry: dict, data: bytes) -> None:
    """The restore's own checks on this record, so no backup is written that cannot restore."""
    try:
        checked_record(RecordEntry.model_validate(entry), data)
    except ValidationError as error:
        raise BackupError(
            f"source #{source.pk} cannot be written: {MANIFEST_NAME} {manifest_problem(error)}"
        ) from None
    except BackupError as error:
        raise BackupError(f"source #{source.pk} cannot be written: {error}") from None


def _inexact_parts(original: Record, parsed: Record, exact: dict) -> list[str]:
    """What differs between the record and its Markdown read back, once `exact` is applied
    (e.g. a summary line starting with '## ' reads back as a section of its own)."""
    for field, value in exact["source"].items():
        setattr(parsed, field, value)
    for kind in FINDING_MODELS:
        for index, row in enumerate(parsed.findings(kind)):
            for field, value in exact[(kind, index)].items():
                setattr(row, field, value)
    return [
        field.name
        for field in dataclasses.fields(Record)
        if getattr(original, field.name) != getattr(parsed, field.name)
    ]


def _differences(obj, read_back, fields: tuple[str, ...]) -> dict[str, str]:
    return {
        field: getattr(obj, field)
        for field in fields
        if getattr(obj, field) != getattr(read_back, field)
    }


def _record_entry(source: Source, name: str, digest: str, exact: dict, slugs: dict) -> dict:
    findings = []
    for kind in FINDING_MODELS:
        for index, finding in enumerate(getattr(source, kind).all()):
            entry = _provenance(finding, exact[(kind, index)])
            entry.update(kind=kind, position=index, themes=_links(finding.theme_links.all()))
            findings.append(entry)
    return {
        "file": name,
        "sha256": digest,
        "canonical_url": source.canonical_url,
        "url": source.url,
        "submitted_by": _username(source.submitted_by),
        "submitted_at": source.submitted_at.isoformat(),
        "status": source.status,
        "stage": source.stage,
        "failure_code": source.failure_code,
        "failure_message": source.failure_message,
        "published_on": source.published_on.isoformat() if source.published_on else None,
        "author": source.author,
        "site_name": source.site_name,
        "language": source.language,
        "final_url": source.final_url,
        "source": {
            **_provenance(source, exact["source"]),
            "curated": curated_by_slug(source.curated, slugs),
        },
        "keywords": [
            {"label": link.label, "origin": link.origin} for link in source.keyword_links.all()
        ],
        "themes": _links(source.theme_links.all()),
        "findings": findings,
    }


def curated_by_slug(curated: dict, slugs: dict[int, str]) -> dict:
    """Source marks with removed themes named by slug: ids change when restored."""
    removed = curated.get(THEMES_REMOVED)
    if not removed:
        return curated
    by_slug = {slugs[int(pk)]: mark for pk, mark in removed.items() if int(pk) in slugs}
    return {**curated, THEMES_REMOVED: by_slug}


def _provenance(obj, exact: dict) -> dict:
    return {
        "origin": obj.origin,
        "machine_values": obj.machine_values,
        "curated": obj.curated,
        "version": obj.version,
        "updated_by": _username(obj.updated_by),
        "updated_at": obj.updated_at.isoformat(),
        "created_at": obj.created_at.isoformat(),
        "exact": exact,
    }


def _links(links) -> list[dict]:
    return [
        {
            "theme": link.theme.slug,
            "origin": link.origin,
            "added_by": _username(link.added_by),
            "added_at": link.added_at.isoformat(),
        }
        for link in links
    ]


def _username(user) -> str | None:
    return user.get_username() if user else None


def _vocabulary() -> dict:
    def entries(model):
        return [
            {"name": e.name, "slug": e.slug, "description": e.description}
            for e in model.objects.order_by("pk")
        ]

    themes = Theme.objects.select_related("merged_into").order_by("pk")
    return {
        "themes": [
            {
                "name": theme.name,
                "slug": theme.slug,
                "description": theme.description,
                "status": theme.status,
                "merged_into": theme.merged_into.slug if theme.merged_into else None,
                "created_at": theme.created_at.isoformat(),
            }
            for theme in themes
        ],
        "aliases": [
            {"theme": alias.theme.slug, "name": alias.name, "key": alias.key}
            for alias in ThemeAlias.objects.select_related("theme").order_by("pk")
        ],
        "relations": relations_for_backup(),
        "categories": entries(Category),
        "source_types": entries(SourceType),
    }
