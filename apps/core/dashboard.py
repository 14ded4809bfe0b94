"""Reads for the dashboard: a fixed handful of queries, whatever the size of the base."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import DateTimeField, OuterRef, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from apps.core.queries import subquery_aggregate
from apps.core.text import noun_for
from apps.knowledge.cache import cached
from apps.knowledge.drafts import trusted
from apps.knowledge.models import FINDING_MODELS, Signal, Theme
from apps.knowledge.selectors import LINK_MODELS
from apps.sources.models import Source, SourceTheme
from apps.sources.selectors import HEAVY_FIELDS, IN_PROGRESS, STOPPED, StateCount, state_counts

ROWS = 8
HIGH_RELEVANCY = 4
# Failures older than this are the pipeline page's business, not news.
FAILURE_WINDOW = timedelta(days=1)
# Stands for "never" in the activity comparison: SQLite's MAX() of a NULL is NULL.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Count:
    key: str
    label: str
    value: int


def counts() -> list[Count]:
    """How many sources, findings of each kind and approved themes there are."""
    models = {"sources": Source.objects, **{k: m.objects for k, m in FINDING_MODELS.items()}}
    models["themes"] = Theme.objects.filter(status=Theme.Status.APPROVED)
    rows = []
    for key, queryset in models.items():
        value = queryset.count()
        rows.append(Count(key, noun_for(value, queryset.model).capitalize(), value))
    return rows


def newest_sources(limit: int = ROWS) -> list[Source]:
    """The sources that went through most recently: done, the last one to finish first.

    Failed and unfinished ones are left out: after a large paste they would fill the list
    (see failed_recently and Dashboard.in_progress for the one-line summaries).
    """
    return list(
        Source.objects.filter(status=Source.Status.DONE)
        .defer(*HEAVY_FIELDS)
        .select_related("category", "source_type")
        .order_by("-status_changed_at", "-id")[:limit]
    )


def failed_recently(now: datetime | None = None) -> int:
    """How many sources stopped without a record (failed, blocked, no content) lately."""
    since = (now or timezone.now()) - FAILURE_WINDOW
    return Source.objects.filter(status__in=STOPPED, status_changed_at__gte=since).count()


def _last_link(link_model) -> Coalesce:
    links = link_model.objects.filter(theme=OuterRef("pk"))
    return subquery_aggregate(links, "MAX", "added_at", default=NEVER, output_field=DateTimeField())


def active_themes(limit: int = ROWS) -> QuerySet[Theme]:
    """Approved themes by the time a source or finding was last linked to them, latest first."""
    links = [SourceTheme, *LINK_MODELS.values()]
    return (
        Theme.objects.filter(status=Theme.Status.APPROVED)
        .annotate(last_linked=Greatest(*(_last_link(model) for model in links)))
        .filter(last_linked__gt=NEVER)
        .order_by("-last_linked", "name")[:limit]
    )


def high_signals(limit: int = ROWS) -> list[Signal]:
    """The newest signals rated HIGH_RELEVANCY or more that are reviewed, or classified with
    a confidence at or above the draft threshold: never a machine's unvouched draft."""
    return list(
        Signal.objects.filter(trusted(), relevancy__gte=HIGH_RELEVANCY)
        .select_related("source")
        .defer(*(f"source__{name}" for name in HEAVY_FIELDS))
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass
class Dashboard:
    counts: list[Count]
    sources: list[Source]
    states: list[StateCount]
    themes: list[Theme]
    signals: list[Signal]
    failed_recently: int

    @property
    def any_source(self) -> bool:
        return any(count.value for count in self.counts if count.key == "sources")

    @property
    def in_progress(self) -> int:
        """Sources queued, retrying or being worked on (from the state counts: no query)."""
        return sum(state.count for state in self.states if state.status in IN_PROGRESS)


def dashboard() -> Dashboard:
    """The figures: totals and active themes cached until the knowledge changes (they
    count whole tables), the rest read fresh through indexes. The pipeline moves sources
    between states by UPDATE, which retires no cached figure, but never adds or removes
    one: the states other than done are counted, done is the rest of the cached total."""
    totals = cached("dashboard-counts", None, counts)
    sources_total = next(count.value for count in totals if count.key == "sources")
    return Dashboard(
        counts=totals,
        sources=newest_sources(),
        states=state_counts(total=sources_total),
        themes=cached("active-themes", ROWS, lambda: list(active_themes())),
        signals=high_signals(),
        failed_recently=failed_recently(),
    )
