"""Reads for the source page's details: where the page came from, and the classifier runs."""

from dataclasses import dataclass
from datetime import datetime

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
    """How the source came in from a record file or a backup, or None if it was submitted."""
    entry = history_for(source).filter(action=AuditEntry.Action.IMPORT).order_by("at", "id").first()
    if entry is None:
        return None
    how = entry.new if isinstance(entry.new, dict) else {}
    return Imported(
        at=entry.at,
        by=entry.actor.get_username() if entry.actor else "",
        file=str(how.get("file") or how.get("backup") or ""),
        backup="backup" in how,
        via=str(how.get("via", "")),
    )
