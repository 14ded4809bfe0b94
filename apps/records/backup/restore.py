"""Restoring a backup: all of it in one transaction, or nothing.

Records go through the import path (`record_import`), so the rules for matching sources
by canonical URL, vocabularies and keywords stay in one place; the provenance the manifest
carries is then written over what the import set. For a source already in the database
the backup wins: its curated marks are cleared first so the import applies the record's
values, and findings or theme links the backup does not hold are removed.
"""

from collections import defaultdict
from pathlib import Path
from typing import BinaryIO

from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.utils import timezone

from apps.core.models import Origin
from apps.knowledge.cache import knowledge_changed
from apps.knowledge.findings import THEMES_REMOVED
from apps.knowledge.models import FINDING_MODELS, Theme
from apps.records.backup.manifest import Manifest, Provenance, RecordEntry, ThemeLinkEntry
from apps.records.backup.reader import Limits, read_backup
from apps.records.backup.results import BackupError, RestoreResult
from apps.records.backup.vocabulary import vocabulary_restore
from apps.records.format import Record
from apps.records.services import record_import
from apps.sources.canonical import canonical_url
from apps.sources.models import Source, SourceTheme
from apps.sources.pipeline.queue import FINAL


def backup_restore(
    data: BinaryIO | Path | bytes, *, actor=None, limits: Limits | None = None, via: str = ""
) -> RestoreResult:
    """Check the whole backup, then restore vocabulary, records and provenance at once.

    `via` names what restored it (a command, the API), for each new source's provenance.
    """
    name = data.name if isinstance(data, Path) else str(getattr(data, "name", "") or "")
    provenance = {"backup": Path(name).name}
    if via:
        provenance["via"] = via
    manifest, records = read_backup(data, limits or Limits())
    users, missing = _users(manifest)
    result = RestoreResult(themes=len(manifest.vocabulary.themes), missing_users=missing)
    with transaction.atomic():
        knowledge_changed()  # bulk writes and updates send no model signals
        try:
            themes = vocabulary_restore(manifest.vocabulary, users)
        except DatabaseError as error:
            raise BackupError(f"the theme vocabulary could not be restored ({error})") from None
        for entry in manifest.records:
            try:
                created = _restore_record(
                    entry, records[entry.file], themes, users, actor, provenance
                )
            except DatabaseError as error:
                raise BackupError(
                    f"{entry.file}: could not be stored ({error}); nothing was restored"
                ) from None
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result


def _users(manifest: Manifest) -> tuple[dict, list[str]]:
    names = {relation.added_by for relation in manifest.vocabulary.relations}
    for entry in manifest.records:
        names.update([entry.submitted_by, entry.source.updated_by])
        for finding in entry.findings:
            names.add(finding.updated_by)
            names.update(link.added_by for link in finding.themes)
        names.update(link.added_by for link in entry.themes)
    names.discard(None)
    model = get_user_model()
    found = model.objects.filter(**{f"{model.USERNAME_FIELD}__in": names})
    users = {user.get_username(): user for user in found}
    return users, sorted(names - set(users))


def _restore_record(
    entry: RecordEntry, record: Record, themes, users, actor, provenance: dict
) -> bool:
    existing = Source.objects.filter(canonical_url=canonical_url(record.url)).first()
    if existing is not None:
        _release(existing)
    imported = record_import(record, actor=actor, provenance=provenance)
    source = imported.source
    _restore_source(source, entry, themes, users, created=imported.created)
    _restore_links(SourceTheme, {"source": source}, entry.themes, themes, users)
    origins = {keyword.label: keyword.origin for keyword in entry.keywords}
    for link in source.keyword_links.all():
        if origins.get(link.label, link.origin) != link.origin:
            type(link).objects.filter(pk=link.pk).update(origin=origins[link.label])
    _restore_findings(source, entry, themes, users)
    return imported.created


def _release(source: Source) -> None:
    """Let the import replace everything of this source: the backup's state wins."""
    Source.objects.filter(pk=source.pk).update(curated={})
    for model in FINDING_MODELS.values():
        model.objects.filter(source=source).update(origin=Origin.IMPORT, curated={})


def _restore_source(source: Source, entry: RecordEntry, themes, users, *, created: bool) -> None:
    values = {
        "url": entry.url,
        "submitted_by": users.get(entry.submitted_by),
        "submitted_at": entry.submitted_at,
        "published_on": entry.published_on,
        "author": entry.author,
        "site_name": entry.site_name,
        "language": entry.language,
        "final_url": entry.final_url,
    }
    if created:
        # The pipeline state of a source already here is live; only a new one takes the
        # backup's. Unfinished work starts over: the sweeper sends it to a worker.
        if entry.status in FINAL:
            values.update(status=entry.status, stage=entry.stage)
            values.update(failure_code=entry.failure_code, failure_message=entry.failure_message)
        else:
            values.update(status=Source.Status.QUEUED, stage=Source.Stage.FETCH)
        values["status_changed_at"] = timezone.now()
    provenance = _provenance_values(entry.source, users)
    removed = provenance["curated"].get(THEMES_REMOVED)
    if removed:
        provenance["curated"][THEMES_REMOVED] = {
            str(themes[slug].pk): mark for slug, mark in removed.items() if slug in themes
        }
    Source.objects.filter(pk=source.pk).update(**values, **provenance)


def _restore_findings(source: Source, entry: RecordEntry, themes, users) -> None:
    """Provenance and theme links of every finding."""
    by_kind = defaultdict(list)
    for finding_entry in entry.findings:
        by_kind[finding_entry.kind].append(finding_entry)
    for kind, entries in by_kind.items():
        model = FINDING_MODELS[kind]
        link_model, owner = model.themes.through, model._meta.model_name
        pks = list(
            model.objects.filter(source=source)
            .order_by("position", "id")
            .values_list("pk", flat=True)
        )
        links = []
        for finding_entry in entries:
            pk = pks[finding_entry.position]
            model.objects.filter(pk=pk).update(**_provenance_values(finding_entry, users))
            links += _new_links(
                link_model, {f"{owner}_id": pk}, finding_entry.themes, themes, users
            )
        link_model.objects.filter(**{f"{owner}__source": source}).delete()
        _create_links(link_model, links)


def _provenance_values(provenance: Provenance, users) -> dict:
    """Column values for an update(), which (unlike save) keeps `updated_at` as given."""
    values = {
        "origin": provenance.origin,
        "machine_values": provenance.machine_values,
        "curated": dict(provenance.curated),
        "version": provenance.version,
        "updated_by": users.get(provenance.updated_by),
        **provenance.exact,
    }
    for field in ("updated_at", "created_at"):
        if getattr(provenance, field):
            values[field] = getattr(provenance, field)
    return values


def _restore_links(link_model, owner: dict, entries, themes, users) -> None:
    link_model.objects.filter(**owner).delete()
    _create_links(link_model, _new_links(link_model, owner, entries, themes, users))


def _new_links(
    link_model, owner: dict, entries: list[ThemeLinkEntry], themes: dict[str, Theme], users
) -> list[tuple]:
    return [
        (
            link_model(
                **owner,
                theme=themes[entry.theme],
                position=position,
                origin=entry.origin,
                added_by=users.get(entry.added_by),
            ),
            entry.added_at,
        )
        for position, entry in enumerate(entries)
    ]


def _create_links(link_model, links: list[tuple]) -> None:
    # bulk_create stamps added_at with now (auto_now_add); an update puts the backup's back.
    created = link_model.objects.bulk_create([link for link, _ in links])
    for link, (_, added_at) in zip(created, links, strict=True):
        if added_at:
            link_model.objects.filter(pk=link.pk).update(added_at=added_at)
