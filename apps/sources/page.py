"""What the source page shows, in the same few queries however many findings the source has.

The source with its vocabularies and its import entry; its keywords; its extra sections;
its findings of all four kinds in one UNION ALL; the theme links of the source and of every
finding (with their themes) in one more. Five queries, where a prefetch per relation took
thirteen: each query costs the page about a millisecond of ORM work besides the database's.
The two UNIONs are built and compiled once per process (apps/core/prepared.py).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Model, QuerySet, Value
from django.shortcuts import get_object_or_404

from apps.core.prepared import Prepared
from apps.knowledge.models import FINDING_MODELS, Finding, Theme
from apps.sources.details import Imported, source_import, with_import
from apps.sources.models import ExtraSection, Source, SourceKeyword, SourceTheme
from apps.sources.selectors import (
    FINDING_TITLES,
    FindingTable,
    PipeTable,
    host_label,
    http_url,
    parse_pipe_table,
    site_label,
)

SOURCE_KIND = "sources"  # the source's own theme links, beside the finding kinds


@dataclass
class SourcePage:
    source: Source
    external_url: str
    via_url: str
    via_site: str  # the via link's host, shown beside its label
    site: str
    keywords: list[str]
    themes: list[Theme]
    tables: list[FindingTable]
    extra_sections: list[tuple[ExtraSection, PipeTable | None]]
    imported: Imported | None  # where an imported record came from (None: submitted)


def source_page(source_id: int) -> SourcePage:
    """Everything the source page shows, in the five queries the module's docstring lists."""
    # The page shows the extracted text (folded away); the raw bytes are never loaded.
    sources = with_import(Source.objects.defer("raw_content")).select_related(
        "category", "source_type", "submitted_by"
    )
    source = get_object_or_404(sources, pk=source_id)
    keywords = SourceKeyword.objects.filter(source=source).order_by("position", "id")
    sections = ExtraSection.objects.filter(source=source).order_by("position", "id")
    findings = source_findings(source)
    _attach_theme_links(source, findings)
    tables = [
        FindingTable(kind, FINDING_TITLES[kind], rows, any(r.relevancy is not None for r in rows))
        for kind, rows in findings.items()
    ]
    return SourcePage(
        source=source,
        external_url=http_url(source.canonical_url) or http_url(source.url),
        via_url=http_url(source.via_url),
        via_site=host_label(http_url(source.via_url)),
        site=site_label(source),
        keywords=list(keywords.values_list("label", flat=True)),
        themes=[link.theme for link in source.theme_links.all()],
        tables=tables,
        extra_sections=[(section, parse_pipe_table(section.body)) for section in sections],
        imported=source_import(source),
    )


def _instance(model: type[Model], db: str, values: dict) -> Model:
    """A model instance from a row read by name, as a queryset would build it; the fields
    `values` lacks are deferred."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[name] for name in names])


# What the page reads of a finding: its row, its draft mark, the version its controls post.
# The JSON of machine values and curation marks and the timestamps stay in the database.
SHOWN = ["id", "source_id", "position", "origin", "version", "confidence", "reviewed_at"]
# In one row shape for every kind: a kind without a field (the signal-only change, 10-year
# outlook and driving force) selects "" in its place, and its rows leave it out.
FINDING_COLUMNS = list(
    dict.fromkeys([*SHOWN, *(n for m in FINDING_MODELS.values() for n in m.EDITABLE_FIELDS)])
)

_FIELDS = {m: {f.attname for f in m._meta.concrete_fields} for m in FINDING_MODELS.values()}


def _has(model: type[Model], name: str) -> bool:
    return name in _FIELDS[model]


def _findings_query(source_id: int) -> QuerySet:
    parts = []
    for kind, model in FINDING_MODELS.items():
        missing = {name: Value("") for name in FINDING_COLUMNS if not _has(model, name)}
        rows = model.objects.filter(source_id=source_id).order_by()
        rows = rows.annotate(kind=Value(kind), **missing)
        parts.append(rows.values_list("kind", *FINDING_COLUMNS))
    return _union(parts)


FINDINGS = Prepared(_findings_query)


def source_findings(source: Source) -> dict[str, list[Finding]]:
    """The source's findings of every kind, in table order, in one query (UNION ALL)."""
    found: dict[str, list[Finding]] = {kind: [] for kind in FINDING_MODELS}
    for kind, *values in FINDINGS.rows(source.pk, using=source._state.db):
        model = FINDING_MODELS[kind]
        row = {n: v for n, v in zip(FINDING_COLUMNS, values, strict=True) if _has(model, n)}
        finding = _instance(model, source._state.db, row)
        model.source.field.set_cached_value(finding, source)  # as a prefetch would
        found[kind].append(finding)
    return found


# Of a theme link, what the chips and their remove buttons read.
LINK_COLUMNS = ["id", "position", "theme_id"]
THEME_COLUMNS = ["id", "name", "slug"]


# Kind -> its theme-link model and the name of the link's field for its item.
LINK_MODELS = {
    SOURCE_KIND: (SourceTheme, "source"),
    **{kind: (m.themes.through, m._meta.model_name) for kind, m in FINDING_MODELS.items()},
}


def _theme_links_query(source_id: int) -> QuerySet:
    columns = ["kind", "item", *LINK_COLUMNS, *(f"theme__{name}" for name in THEME_COLUMNS)]
    parts = []
    for kind, (link, item) in LINK_MODELS.items():
        mine = {f"{item}_id" if kind == SOURCE_KIND else f"{item}__source_id": source_id}
        rows = link.objects.filter(**mine).order_by().annotate(kind=Value(kind), item=F(item))
        parts.append(rows.values_list(*columns))
    return _union(parts)


THEME_LINKS = Prepared(_theme_links_query)


def _attach_theme_links(source: Source, findings: dict[str, list[Finding]]) -> None:
    """Read the theme links of the source and of every finding, with their themes, in one
    query (UNION ALL), and leave them where prefetch_related("theme_links__theme") would:
    `item.theme_links.all()` then reads them without a query, in the templates as here."""
    held = defaultdict(list)
    db = source._state.db
    for kind, item_id, *values in THEME_LINKS.rows(source.pk, using=db):
        link, item = LINK_MODELS[kind]
        ends = len(LINK_COLUMNS)
        row = dict(zip(LINK_COLUMNS, values[:ends], strict=True))
        row = _instance(link, db, {**row, f"{item}_id": item_id})
        theme = _instance(Theme, db, dict(zip(THEME_COLUMNS, values[ends:], strict=True)))
        link.theme.field.set_cached_value(row, theme)
        held[kind, item_id].append(row)
    _cache(source, "theme_links", held[SOURCE_KIND, source.pk])
    for kind, rows in findings.items():
        for finding in rows:
            _cache(finding, "theme_links", held[kind, finding.pk])


def _union(parts: list[QuerySet]) -> QuerySet:
    """One query for all `parts` (values_list querysets of the same columns), in position
    order: the order of every list on the page."""
    return parts[0].union(*parts[1:], all=True).order_by("position", "id")


def _cache(instance: Model, relation: str, rows: list) -> None:
    """Store `rows` where prefetch_related stores a relation's rows (Django's
    prefetch_one_level), so that `instance.<relation>.all()` returns them without a query."""
    queryset = QuerySet(getattr(type(instance), relation).rel.related_model)
    queryset._result_cache, queryset._prefetch_done = rows, True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset
