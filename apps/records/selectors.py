"""Reading sources back out as records (the values in force, curated ones included)."""

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from apps.core.streaming import chunked
from apps.knowledge.models import FINDING_MODELS
from apps.records.format import (
    FINDING_COLUMNS,
    SIGNAL_COLUMNS,
    ExtraSectionData,
    FindingRow,
    Record,
)
from apps.sources.models import Source, SourceKeyword, SourceTheme

EXPORT_BATCH = 200


def sources_for_export() -> QuerySet[Source]:
    return Source.objects.select_related("category", "source_type").prefetch_related(
        Prefetch("keyword_links", queryset=SourceKeyword.objects.order_by("position", "id")),
        Prefetch(
            "theme_links",
            queryset=SourceTheme.objects.select_related("theme").order_by("position", "id"),
        ),
        "extra_sections",
        *(
            Prefetch(kind, queryset=model.objects.order_by("position", "id"))
            for kind, model in FINDING_MODELS.items()
        ),
    )


def record_from_source(source: Source) -> Record:
    record = Record(
        title=source.title,
        url=source.url,
        via_url=source.via_url,
        via_label=source.via_label,
        keywords=[link.label for link in source.keyword_links.all()],
        themes=[link.theme.name for link in source.theme_links.all()],
        category=source.category.name if source.category else "",
        source_type=source.source_type.name if source.source_type else "",
        other_fields=[(label, value) for label, value in source.other_fields],
        summary=source.summary,
        extra_sections=[
            ExtraSectionData(heading=extra.heading, body=extra.body)
            for extra in source.extra_sections.all()
        ],
    )
    for kind in FINDING_MODELS:
        columns = SIGNAL_COLUMNS if kind == "signals" else FINDING_COLUMNS
        findings = getattr(source, kind).all()
        setattr(record, kind, [FindingRow(**finding_values(f, columns)) for f in findings])
    return record


def finding_values(finding, columns: tuple[str, ...]) -> dict:
    return {column: getattr(finding, column) for column in columns}


def iter_records(queryset: QuerySet[Source]) -> Iterator[tuple[Source, Record]]:
    """Every source with its record, in batches so memory stays flat on large bases (each
    source is released when the next is asked for: do not keep them)."""
    for source in chunked(queryset.order_by("pk"), chunk_size=EXPORT_BATCH):
        yield source, record_from_source(source)
