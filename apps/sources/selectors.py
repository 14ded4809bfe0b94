"""Reads of sources for the pages: a fixed number of queries, whatever the data size."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from apps.core.models import WorkerHeartbeat
from apps.core.queries import subquery_count
from apps.knowledge.cache import cached
from apps.knowledge.models import FINDING_MODELS, Category, Finding, SourceType, Theme
from apps.records.tables import is_separator, split_row
from apps.search.query import SearchQueryError, matching_ids, parse
from apps.sources.models import Source, SourceTheme, Submission
from apps.sources.pipeline.queue import FINAL, RUNNING, WAITING

FINDING_TITLES = {
    kind: str(model._meta.verbose_name_plural).capitalize()
    for kind, model in FINDING_MODELS.items()
}
# Columns no page shows that can be large: never load them for a list or a page.
HEAVY_FIELDS = ("raw_content", "extracted_text")


def _theme_links() -> Prefetch:
    return Prefetch(
        "theme_links",
        queryset=SourceTheme.objects.select_related("theme").order_by("position", "id"),
    )


def findings_with_themes(model: type[Finding]) -> QuerySet[Finding]:
    """Findings in table order, their theme links (with themes) in one query for all rows."""
    links = model.themes.through.objects.select_related("theme").order_by("position", "id")
    return model.objects.order_by("position", "id").prefetch_related(
        Prefetch("theme_links", queryset=links)
    )


def _finding_count(kind: str) -> Coalesce:
    """Count one kind of finding per source in a subquery: joins would multiply rows."""
    return subquery_count(FINDING_MODELS[kind].objects.filter(source=OuterRef("pk")))


def source_list() -> QuerySet[Source]:
    """Sources newest first, with what the list shows: vocabularies, themes, finding counts."""
    return (
        Source.objects.defer(*HEAVY_FIELDS)
        .select_related("category", "source_type")
        .prefetch_related(_theme_links())
        .annotate(**{f"{kind}_count": _finding_count(kind) for kind in FINDING_MODELS})
        .order_by("-submitted_at", "-id")
    )


# Sort parameter -> ordering; each ends on a unique column so pages never overlap.
SOURCE_ORDERINGS = {
    "-submitted": ("-submitted_at", "-id"),
    "submitted": ("submitted_at", "id"),
    "-published": (F("published_on").desc(nulls_last=True), "-submitted_at", "-id"),
    "published": (F("published_on").asc(nulls_last=True), "submitted_at", "id"),
    "title": (Lower("title"), "id"),
    "-title": (Lower("title").desc(), "-id"),
}


def _text(text: str) -> Q:
    """Sources whose title, summary, text, keywords or link hold every word (apps/search)."""
    try:
        return Q(pk__in=matching_ids("sources", parse(text)))
    except SearchQueryError:  # a hand-built filter; the form reports it
        return Q(pk__in=[])


def _day_start(day: date | None, *, days: int = 0) -> datetime | None:
    """Midnight (current time zone) of `day` plus `days`: the same bounds as a __date
    lookup, but a range the submitted_at index can serve."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days=days), time.min))


def sources_filtered(cleaned: dict) -> QuerySet[Source]:
    """The sources list under a filter (SourceFilterForm's cleaned data; missing keys: any).

    `category`, `type`, `theme` and `submitter` are rows, the dates bound the day the source
    was submitted (both ends included), `q` looks in the search index: title, summary,
    text, keywords and the words of the link.
    """
    sources = source_list()
    exact = {
        "status": cleaned.get("state"),
        "category": cleaned.get("category"),
        "source_type": cleaned.get("type"),
        "theme_links__theme": cleaned.get("theme"),
        "submitted_by": cleaned.get("submitter"),
        "submitted_at__gte": _day_start(cleaned.get("date_from")),
        "submitted_at__lt": _day_start(cleaned.get("date_to"), days=1),
    }
    sources = sources.filter(**{key: value for key, value in exact.items() if value})
    if text := (cleaned.get("q") or "").strip():
        sources = sources.filter(_text(text))
    return sources.order_by(*_source_ordering(cleaned))


def _source_ordering(cleaned: dict) -> tuple:
    sort = cleaned.get("sort") or "-submitted"
    return SOURCE_ORDERINGS.get(sort, SOURCE_ORDERINGS["-submitted"])


def sources_with_ids(cleaned: dict, ids: QuerySet) -> QuerySet[Source]:
    """The sources `ids` selects (a sliced page of sources_filtered's ids) with what the
    list shows, in `cleaned`'s order: the finding counts are computed for these rows only,
    not for every row a deep page skips (apps/knowledge/paging.py)."""
    return source_list().filter(pk__in=ids).order_by(*_source_ordering(cleaned))


def sources_in_order(cleaned: dict, ids: QuerySet) -> QuerySet[Source]:
    """The sources `ids` selects in `cleaned`'s order, bare: for a caller that picks its own
    columns (the API list, apps/api/source_rows.py)."""
    return Source.objects.filter(pk__in=ids).order_by(*_source_ordering(cleaned))


@dataclass
class FilterChoices:
    categories: list[str]
    types: list[str]
    themes: list[str]
    submitters: list[str]


def _vocabulary_choices() -> tuple[list[str], list[str], list[str]]:
    return (
        list(Category.objects.order_by("name").values_list("name", flat=True)),
        list(SourceType.objects.order_by("name").values_list("name", flat=True)),
        list(
            Theme.objects.filter(status=Theme.Status.APPROVED)
            .order_by("name")
            .values_list("name", flat=True)
        ),
    )


def filter_choices() -> FilterChoices:
    """What the filter's menus and suggestions offer: the vocabularies from the cache
    (until the knowledge changes), the submitters in one query."""
    submitters = (
        get_user_model()
        .objects.filter(submissions__isnull=False)
        .order_by("username")
        .values_list("username", flat=True)
        .distinct()
    )
    categories, types, themes = cached("source-filter-choices", None, _vocabulary_choices)
    return FilterChoices(
        categories=categories, types=types, themes=themes, submitters=list(submitters)
    )


# Filters whose matches the pipeline changes by UPDATE (its state; titles and links, which
# `q` reads): a count under them is never cached.
LIVE_FILTERS = ("state", "q")
FILTER_ROWS = ("category", "type", "theme", "submitter")


def sources_count(cleaned: dict, sources: QuerySet[Source]) -> int:
    """How many sources `sources` (sources_filtered(cleaned)) holds: cached until the
    knowledge changes (a source added or deleted, a theme linked), unless a live filter
    is set."""
    if any(cleaned.get(key) for key in LIVE_FILTERS):
        return sources.count()
    rows = tuple(getattr(cleaned.get(key), "pk", None) for key in FILTER_ROWS)
    key = (rows, str(cleaned.get("date_from") or ""), str(cleaned.get("date_to") or ""))
    return cached("sources-count", key, sources.count)


def http_url(url: str) -> str:
    """The URL if it is http(s), else "": stored URLs are data and must not become script links."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in ("http", "https") else ""


def site_label(source: Source) -> str:
    """The site name the page gave, else the host of its URL."""
    if source.site_name:
        return source.site_name
    return host_label(source.canonical_url or source.url)


def host_label(url: str) -> str:
    """A URL's host without "www.", or "" for none."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


@dataclass
class FindingTable:
    kind: str
    title: str
    rows: list[Finding]
    show_relevancy: bool

    @cached_property  # each row asks it
    def show_themes(self) -> bool:
        """Whether any row carries a theme (the links are prefetched: no query)."""
        return any(row.theme_links.all() for row in self.rows)


@dataclass
class Cell:
    text: str
    align: str = ""  # "right" when the table's separator aligns the column right
    relevancy: int | None = None  # set in a "relevancy" column holding 1 to 5


@dataclass
class PipeTable:
    headers: list[Cell]
    rows: list[list[Cell]]


def _cell(text: str, align: str, is_relevancy: bool) -> Cell:
    relevancy = int(text) if is_relevancy and text in ("1", "2", "3", "4", "5") else None
    return Cell(text, align, relevancy)


def parse_pipe_table(body: str) -> PipeTable | None:
    """Read a Markdown pipe table; None when the text is anything else (shown as-is)."""
    lines = [line for line in body.strip().splitlines() if line.strip()]
    if len(lines) < 2 or not all(line.lstrip().startswith("|") for line in lines):
        return None
    headers = split_row(lines[0])
    separator = split_row(lines[1])
    if not is_separator(separator, len(headers)):
        return None
    width = len(headers)
    align = ["right" if cell.strip().endswith(":") else "" for cell in separator]
    is_relevancy = [header.casefold() == "relevancy" for header in headers]
    rows = []
    for line in lines[2:]:
        cells = split_row(line)
        if len(cells) > width:
            return None
        cells += [""] * (width - len(cells))
        rows.append([_cell(c, a, r) for c, a, r in zip(cells, align, is_relevancy, strict=True)])
    return PipeTable([Cell(h, a) for h, a in zip(headers, align, strict=True)], rows)


# --- The ingest pipeline -------------------------------------------------------------

Status = Source.Status
IN_PROGRESS = (*WAITING, *RUNNING.values())
# Final states that did not produce a record: what "Retry" and "Retry all" are for.
STOPPED = (Status.FAILED, Status.BLOCKED, Status.NO_CONTENT)
RECENT_SUBMISSIONS = 50
# The heartbeat task runs every minute; three missed beats mean no worker is listening.
HEARTBEAT_STALE_AFTER = timedelta(minutes=3)


def recent_submissions(user, *, limit: int = RECENT_SUBMISSIONS) -> list[Submission]:
    """The user's latest submissions, newest first, each with its source's live state."""
    return list(
        Submission.objects.filter(submitted_by=user)
        .select_related("source")
        .defer(*(f"source__{name}" for name in HEAVY_FIELDS))
        .order_by("-submitted_at", "-id")[:limit]
    )


def all_final(sources: list[Source]) -> bool:
    return all(source.status in FINAL for source in sources)


@dataclass
class StateCount:
    status: str
    label: str
    count: int


def state_counts(*, total: int | None = None) -> list[StateCount]:
    """How many sources are in each state, every state listed (zeros too), in one query.

    Given the `total` number of sources, only the states other than done are counted (few
    rows, read through the status index) and done is the rest: no scan of every source.
    """
    sources = Source.objects.order_by()
    if total is not None:
        sources = sources.filter(status__in=[s for s in Status.values if s != Status.DONE])
    counts = dict(sources.values_list("status").annotate(n=Count("id")))
    if total is not None:
        counts[Status.DONE] = total - sum(counts.values())
    return [StateCount(value, label, counts.get(value, 0)) for value, label in Status.choices]


def waiting_sources(*, limit: int = 20) -> list[Source]:
    """Sources not yet final, the longest waiting first."""
    return list(
        Source.objects.filter(status__in=IN_PROGRESS)
        .defer(*HEAVY_FIELDS)
        .order_by("status_changed_at", "id")[:limit]
    )


@dataclass
class FailureReason:
    code: str
    count: int
    example: Source | None  # one source that stopped for this reason (the newest row)


def failure_reasons(*, limit: int = 10) -> list[FailureReason]:
    """The most common reasons sources stopped without a record, with an example each."""
    groups = list(
        Source.objects.filter(status__in=STOPPED)
        .order_by()
        .values("failure_code")
        .annotate(count=Count("id"), latest=Max("id"))
        .order_by("-count", "failure_code")[:limit]
    )
    examples = Source.objects.defer(*HEAVY_FIELDS).in_bulk([g["latest"] for g in groups])
    return [FailureReason(g["failure_code"], g["count"], examples.get(g["latest"])) for g in groups]


@dataclass
class WorkerStatus:
    last_seen: WorkerHeartbeat | None
    alive: int  # workers heard from within HEARTBEAT_STALE_AFTER

    @property
    def ok(self) -> bool:
        return self.alive > 0


def worker_status(now: datetime | None = None) -> WorkerStatus:
    """The latest worker heartbeat and how many workers beat recently."""
    since = (now or timezone.now()) - HEARTBEAT_STALE_AFTER
    beats = list(WorkerHeartbeat.objects.order_by("-seen_at")[:100])
    return WorkerStatus(beats[0] if beats else None, sum(b.seen_at >= since for b in beats))
