"""Reads for the source page's details: where the page came from, and the classifier runs."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, QuerySet, Subquery

from apps.core.audit import history_for
from apps.core.models import AuditEntry
from apps.sources.models import ClassificationRun, Source
from apps.sources.selectors import http_url

# The page lists this many runs, newest first, and says when there are older ones.
RUNS_SHOWN = 20


@dataclass
class Imported:
    """Where an imported source came from: its import entry in the audit trail."""

    at: datetime
    by: str  # the user who imported it, "" when a command did without one
    file: str  # the record file's name, "" when unknown (imported before it was kept)
    backup: bool  # restored from a backup zip rather than a single record file
    via: str  # what imported it ("manage.py import_markdown", "the API"), "" when unknown


@dataclass
class SourceDetails:
    submitted_url: str  # as the analyst gave it ("" unless http(s): never a script link)
    canonical_url: str  # only when it differs from the submitted URL
    final_url: str  # where the fetch ended after redirects
    runs: list[ClassificationRun]
    older_runs: bool
    imported: Imported | None = None  # None: submitted (or imported before the audit trail)
    source_fetched: bool = False

    @property
    def show_fetch(self) -> bool:
        """Whether the page shows fetch facts: a submitted source always (even "not yet"),
        an imported one only once Spyglass has fetched it itself."""
        return self.imported is None or self.source_fetched


_UNKNOWN = object()


def source_details(source: Source, *, imported=_UNKNOWN) -> SourceDetails:
    """The source's links, how it came in, and its latest classifier runs: two queries
    (one when the caller has `imported` from `source_import` already)."""
    runs = list(
        source.classification_runs.select_related("requested_by")
        .defer("raw_response", "result")
        .order_by("-started_at", "-id")[: RUNS_SHOWN + 1]
    )
    submitted = http_url(source.url)
    canonical = http_url(source.canonical_url)
    return SourceDetails(
        submitted_url=submitted,
        canonical_url=canonical if canonical != submitted else "",
        final_url=http_url(source.final_url),
        runs=runs[:RUNS_SHOWN],
        older_runs=len(runs) > RUNS_SHOWN,
        imported=source_import(source) if imported is _UNKNOWN else imported,
        source_fetched=source.fetched_at is not None,
    )


def source_import(source: Source) -> Imported | None:
    """How the source came in from a record file or a backup, or None if it was submitted:
    from the columns `with_import` added to the source, else in one query."""
    if hasattr(source, "import_at"):
        if source.import_at is None:
            return None
        return _imported(source.import_at, source.import_by or "", source.import_how)
    entry = history_for(source).filter(action=AuditEntry.Action.IMPORT).order_by("at", "id").first()
    if entry is None:
        return None
    return _imported(entry.at, entry.actor.get_username() if entry.actor else "", entry.new)


def with_import(sources: QuerySet[Source]) -> QuerySet[Source]:
    """`sources` with their first import entry's time, user and details as columns
    (import_at, import_by, import_how), read in the sources' own query: the source page
    spares a query of its own for them."""
    entry = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Source),
        target_id=OuterRef("pk"),
        action=AuditEntry.Action.IMPORT,
    ).order_by("at", "id")
    username = f"actor__{get_user_model().USERNAME_FIELD}"
    return sources.annotate(
        import_at=Subquery(entry.values("at")[:1]),
        import_by=Subquery(entry.values(username)[:1]),
        import_how=Subquery(entry.values("new")[:1]),
    )


def _imported(at: datetime, by: str, how) -> Imported:
    how = how if isinstance(how, dict) else {}
    return Imported(
        at=at,
        by=by,
        file=str(how.get("file") or how.get("backup") or ""),
        backup="backup" in how,
        via=str(how.get("via", "")),
    )
