"""Applying a record to a source: what an import and a classifier have in common.

A machine refreshes only what machines wrote. `origin` says which machine is writing, and
`REPLACEABLE[origin]` which origins it may replace: an import replaces imported and
classified data, a classifier only classified data. Nothing an editor added or curated is
ever replaced or deleted.
"""

from collections import defaultdict

from apps.core.curation import apply_machine_values
from apps.core.models import Origin
from apps.knowledge.cache import knowledge_changed
from apps.knowledge.findings import FINDING_THEMES_REMOVED, approved_theme
from apps.knowledge.models import FINDING_MODELS, Finding, Theme
from apps.knowledge.services import category_for_name, source_type_for_name, theme_for_name
from apps.knowledge.themes import theme_suggest
from apps.knowledge.vocabulary import name_key
from apps.records.format import FINDING_COLUMNS, SIGNAL_COLUMNS, FindingRow, Record
from apps.sources.models import ExtraSection, Source, SourceTheme
from apps.sources.services import keywords_replace

RECORD_COLUMNS = [
    "title",
    "summary",
    "category",
    "source_type",
    "via_url",
    "via_label",
    "other_fields",
    "machine_values",
    "version",
    "updated_at",
]
REPLACEABLE = {
    Origin.IMPORT: frozenset({Origin.IMPORT, Origin.AI}),
    Origin.AI: frozenset({Origin.AI}),
}


def record_apply(source: Source, record: Record, *, origin: str, actor=None) -> dict[str, tuple]:
    """Write the record's values to `source` (saved) and return {field: (old, new)}."""
    knowledge_changed()  # bulk writes below send no model signals
    changes = _apply_source_fields(source, record, origin)
    if source.pk is None:
        source.save()
    else:
        # Only the record's own columns: the pipeline's state columns belong to the runner,
        # and this object's copy of them is stale by now.
        source.save(update_fields=RECORD_COLUMNS)
    changes.update(keywords_replace(source, record.keywords, origin=origin))
    removed = _removed_by_editors(source, origin)
    changes.update(_sync_themes(source, record.themes, origin, actor, removed))
    names: dict[str, Theme | None] = {}  # finding theme names resolved once per record
    for kind in FINDING_MODELS:
        changes.update(_sync_findings(source, kind, record.findings(kind), origin, removed, names))
    if origin == Origin.IMPORT:
        _replace_extra_sections(source, record)
    return changes


def _apply_source_fields(source: Source, record: Record, origin: str) -> dict[str, tuple]:
    changes = {}
    if origin == Origin.IMPORT:  # what only a record file carries
        for name in ("via_url", "via_label"):
            value = getattr(record, name)
            if getattr(source, name) != value:
                changes[name] = (getattr(source, name), value)
                setattr(source, name, value)
        source.other_fields = [list(pair) for pair in record.other_fields]
    # Lists kept as the machine gave them, beside their link tables.
    source.machine_values["keywords"] = record.keywords
    source.machine_values["themes"] = record.themes
    if origin == Origin.AI:  # how sure the classifier was; an import has no such figures
        source.machine_values["category_confidence"] = record.category_confidence
        source.machine_values["theme_confidence"] = record.theme_confidence
    values = {
        "title": record.title,
        "summary": record.summary,
        "category": category_for_name(record.category) if record.category else None,
        "source_type": source_type_for_name(record.source_type) if record.source_type else None,
    }
    changes.update(apply_machine_values(source, values, origin=origin))
    return changes


def _removed_by_editors(source: Source, origin: str) -> dict:
    """What editors removed from the source (apps/knowledge/findings.py notes it).

    A classifier re-run leaves it out; an import trusts its file and brings it back.
    """
    if origin != Origin.AI:
        return {}
    return Source.objects.filter(pk=source.pk).values_list("curated", flat=True).first() or {}


def _sync_themes(
    source: Source, names: list[str], origin: str, actor, removed: dict
) -> dict[str, tuple]:
    """Replaceable links follow the record; others stay where they are.

    An import trusts its file (unknown names become approved themes); a classifier links
    approved themes only and proposes the rest to editors.
    """
    replaceable = REPLACEABLE[origin]
    removed = removed.get("themes_removed", {})
    existing = {link.theme_id: link for link in source.theme_links.select_related("theme")}
    old = [link.theme.name for link in existing.values()]
    wanted = []
    for name in names:
        if origin == Origin.IMPORT:
            theme = theme_for_name(name)
        else:
            theme = theme_suggest(name, source=source)
        if theme is not None and theme not in wanted and str(theme.pk) not in removed:
            wanted.append(theme)
    wanted_ids = {theme.pk for theme in wanted}
    stale = [
        link.pk
        for theme_id, link in existing.items()
        if theme_id not in wanted_ids and link.origin in replaceable
    ]
    SourceTheme.objects.filter(pk__in=stale).delete()
    for position, theme in enumerate(wanted):
        link = existing.get(theme.pk)
        if link is None:
            SourceTheme.objects.create(
                source=source, theme=theme, position=position, origin=origin, added_by=actor
            )
        elif link.position != position and link.origin in replaceable:
            SourceTheme.objects.filter(pk=link.pk).update(position=position)
    new = [theme.name for theme in wanted]
    return {"themes": (old, new)} if old != new else {}


def _sync_findings(
    source: Source, kind: str, rows: list[FindingRow], origin: str, removed: dict, names: dict
) -> dict[str, tuple]:
    """Match rows to findings by name (as the machine gave it) and refresh machine values.

    A row matching a finding this origin may not replace (an editor's, or an imported one
    during classification) leaves that finding alone. Findings an editor added, curated or
    reviewed are never deleted. A classifier also stores each finding's confidence and own
    themes.
    """
    replaceable = REPLACEABLE[origin]
    themes_removed = removed.get(FINDING_THEMES_REMOVED, {}).get(kind, {})
    removed = removed.get("findings_removed", {}).get(kind, {})
    model = FINDING_MODELS[kind]
    columns = SIGNAL_COLUMNS if kind == "signals" else FINDING_COLUMNS
    existing: dict[str, list[Finding]] = defaultdict(list)
    for finding in model.objects.filter(source=source):
        existing[name_key(finding.machine_values.get("name", finding.name))].append(finding)
    created, changed, kept = [], False, []
    for position, row in enumerate(rows):
        matches = existing.get(name_key(row.name))
        if not matches and name_key(row.name) in removed:
            continue  # an editor deleted it
        finding = matches.pop(0) if matches else model(source=source)
        if finding.pk and finding.origin not in replaceable:
            continue
        field_changes = apply_machine_values(finding, row.values(columns), origin=origin)
        if origin == Origin.AI:
            finding.confidence = row.confidence
        kept.append((finding, row))
        if finding.pk is None:
            finding.position = position
            created.append(finding)
        elif field_changes or finding.position != position:
            finding.position = position
            finding.save()
            changed = True
        else:
            model.objects.filter(pk=finding.pk).update(
                machine_values=finding.machine_values, confidence=finding.confidence
            )
    model.objects.bulk_create(created)
    if origin == Origin.AI:  # the record format has no finding themes: an import keeps them
        _sync_finding_themes(model, kept, themes_removed, names)
    leftovers = [
        finding.pk
        for findings in existing.values()
        for finding in findings
        if finding.origin in replaceable and not finding.curated and finding.reviewed_at is None
    ]
    model.objects.filter(pk__in=leftovers).delete()
    if changed or leftovers or created:
        return {kind: (None, [row.name for row in rows])}
    return {}


def _sync_finding_themes(
    model: type[Finding], kept: list[tuple[Finding, FindingRow]], removed: dict, names: dict
) -> None:
    """Each finding's own themes follow the classifier; an editor's links and removals stay.

    Only approved themes are linked (proposals wait at source level, as suggestions).
    `removed` is {finding id: {theme id: mark}} of links editors took off.
    """
    link_model = model.themes.through
    owner = model._meta.model_name
    existing: dict[int, dict[int, object]] = defaultdict(dict)
    links = link_model.objects.filter(**{f"{owner}__in": [f.pk for f, _ in kept]})
    for link in links:
        existing[getattr(link, f"{owner}_id")][link.theme_id] = link
    stale, new = [], []
    for finding, row in kept:
        taken_off = removed.get(str(finding.pk), {})
        wanted: list[int] = []
        for name in row.themes:
            if name not in names:
                names[name] = approved_theme(name)
            theme = names[name]
            if theme is not None and theme.pk not in wanted and str(theme.pk) not in taken_off:
                wanted.append(theme.pk)
        current = existing.get(finding.pk, {})
        stale += [
            link.pk
            for theme_id, link in current.items()
            if theme_id not in wanted and link.origin == Origin.AI
        ]
        new += [
            link_model(**{owner: finding}, theme_id=theme_id, position=position, origin=Origin.AI)
            for position, theme_id in enumerate(wanted)
            if theme_id not in current
        ]
    link_model.objects.filter(pk__in=stale).delete()
    link_model.objects.bulk_create(new, ignore_conflicts=True)


def _replace_extra_sections(source: Source, record: Record) -> None:
    source.extra_sections.all().delete()
    ExtraSection.objects.bulk_create(
        ExtraSection(source=source, position=position, heading=extra.heading, body=extra.body)
        for position, extra in enumerate(record.extra_sections)
    )
