"""Reads for the source page's details: where the page came from, and the classifier runs."""

from dataclasses import dataclass

from apps.sources.models import ClassificationRun, Source
from apps.sources.selectors import http_url

# The page lists this many runs, newest first, and says when there are older ones.
RUNS_SHOWN = 20


@dataclass
class SourceDetails:
    submitted_url: str  # as the analyst gave it ("" unless http(s): never a script link)
    canonical_url: str  # only when it differs from the submitted URL
    final_url: str  # where the fetch ended after redirects
    runs: list[ClassificationRun]
    older_runs: bool


def source_details(source: Source) -> SourceDetails:
    """The source's links and its latest classifier runs, in one query."""
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
    )
