"""The export's rows read as plain column values, without a model instance per finding.

Building the rows from instances cost about 0.7 ms a row, nearly all of it Django's
per-instance machinery (`Model.__init__`, related managers, the two prefetches filling
each instance's cache): 4 minutes for a theme's 345,000 signals. Here the same rows come
from three queries of plain tuples: the findings with their source's columns joined (one
query, read `chunk_size` rows at a time through a server-side cursor on PostgreSQL), then
per chunk the names of their own themes and of their sources' themes.

The rows are the ones `findings_export` builds from instances, byte for byte once written
(tests/records/test_finding_values.py): own themes by name then the source's not already
own, the explorer's `date` when the queryset has it, else the source's date.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import Prefetch, QuerySet

from apps.knowledge.models import FINDING_MODELS, is_draft
from apps.sources.models import SourceTheme

# What the instance path prefetches; a queryset prefetching anything else (or these with
# a queryset of its own, which may filter or order the themes) is read the instance way.
PLAIN_PREFETCHES = {"themes", "source__themes"}
SOURCE_FIELDS = ("source_id", "source__title", "source__url")
DATE_FIELDS = ("source__published_on", "source__submitted_at")


def readable_as_values(findings: QuerySet) -> bool:
    """Whether `findings` can be read here: only the export's own prefetches, if any."""
    for lookup in findings._prefetch_related_lookups:
        if isinstance(lookup, Prefetch):
            if lookup.queryset is not None or lookup.to_attr:
                return False
            lookup = lookup.prefetch_to
        if lookup not in PLAIN_PREFETCHES:
            return False
    return True


def value_rows(
    findings: QuerySet, *, kind: str, columns: tuple[str, ...], chunk_size: int
) -> Iterator[dict]:
    """One row per finding of `findings`, in its order: 1 query, then 2 per chunk."""
    dated = "date" in findings.query.annotations  # the explorer's date, when it is there
    fields = ("pk", *columns, "origin", "reviewed_at", "confidence", *SOURCE_FIELDS)
    fields += DATE_FIELDS + (("date",) if dated else ())
    tuples = findings.prefetch_related(None).values_list(*fields)
    source_at = len(columns) + 4  # where the source's id is in a tuple
    for chunk in _batches(tuples.iterator(chunk_size=chunk_size), chunk_size):
        own = _own_themes(kind, [values[0] for values in chunk])
        inherited = _source_themes({values[source_at] for values in chunk})
        for values in chunk:
            themes = own.get(values[0], ()), inherited.get(values[source_at], ())
            yield _row(kind, columns, values, themes, dated=dated)


def _row(kind: str, columns: tuple[str, ...], values: tuple, themes: tuple, *, dated: bool):
    """The row `finding_rows` builds from an instance, from the tuple `value_rows` reads."""
    width = len(columns)
    pk, origin, reviewed_at, confidence = values[0], *values[width + 1 : width + 4]
    source_id, title, url, published_on, submitted_at = values[width + 4 : width + 9]
    own, inherited = themes
    seen = {theme_id for theme_id, _ in own}
    own_names = [name for _, name in own]
    row = {"id": pk, "kind": kind}
    row.update(zip(columns, values[1 : width + 1], strict=True))
    row["themes"] = own_names + [name for theme_id, name in inherited if theme_id not in seen]
    row["own_themes"] = own_names
    row["confidence"] = confidence
    row["draft"] = is_draft(origin, reviewed_at, confidence)
    row["source"] = {"id": source_id, "title": title, "url": url}
    date = values[-1] if dated else None
    if date is None:  # the rule of findings_export.finding_date
        date = published_on or submitted_at.date()
    row["date"] = date.isoformat()
    return row


def _own_themes(kind: str, pks: list[int]) -> dict[int, list[tuple[int, str]]]:
    """(theme id, name) of each finding's own themes, by name as the prefetch orders them."""
    model = FINDING_MODELS[kind]
    links = model.theme_links.rel.related_model
    owner = f"{model._meta.model_name}_id"
    return _grouped(links.objects.filter(**{f"{owner}__in": pks}), owner)


def _source_themes(source_ids: set[int]) -> dict[int, list[tuple[int, str]]]:
    return _grouped(SourceTheme.objects.filter(source_id__in=source_ids), "source_id")


def _grouped(links: QuerySet, owner: str) -> dict[int, list[tuple[int, str]]]:
    # Theme's ordering is by name: the order the `themes` prefetch gives (ties by id here).
    rows = links.order_by("theme__name", "theme_id").values_list(owner, "theme_id", "theme__name")
    grouped = defaultdict(list)
    for owner_id, theme_id, name in rows:
        grouped[owner_id].append((theme_id, name))
    return grouped


def _batches(rows: Iterable, size: int) -> Iterator[list]:
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch
