"""The browse benchmark's cases: each request beside the plain code it wraps.

A case is a request through Django's test Client (a logged-in editor for pages, the API
token for /api/v1/) and a baseline doing the same database work without the view: the
queryset evaluated to a list, json.dumps or csv.writer over the same rows. Their ratio is
what the view, forms, templates or serialisers cost on top of the data they show.
"""

import csv
import io
import json
import statistics
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.api.findings import with_themes
from apps.core.dashboard import dashboard
from apps.knowledge import related, selectors
from apps.knowledge.explorer import PAGE_SIZE, carried_themes, findings_filtered
from apps.records.findings_export import columns_for
from apps.records.selectors import iter_records, sources_for_export
from apps.records.writer import render_record
from apps.sources.selectors import sources_filtered
from benchmarks.browse_data import SEARCH_WORD, Base

SOURCES_PER_PAGE = 25  # apps/sources/views.py
API_LIMIT = 100


@dataclass
class Case:
    name: str
    run: Callable[[], bytes]  # one request; returns the answer's body
    baseline: Callable[[], object]
    baseline_label: str
    runs: int | None = None  # None: the --runs default
    check: Callable[[bytes], str] | None = None  # a problem with the answer, or ""


@dataclass
class Measured:
    name: str
    baseline_label: str
    runs: int
    seconds: list[float] = field(default_factory=list)
    baseline_seconds: list[float] = field(default_factory=list)
    queries: int = 0
    baseline_queries: int = 0
    answer_bytes: int = 0
    problem: str = ""

    def figures(self) -> dict:
        median, base = statistics.median(self.seconds), statistics.median(self.baseline_seconds)
        return {
            "name": self.name,
            "runs": self.runs,
            "median_ms": round(median * 1000, 2),
            "p95_ms": round(_p95(self.seconds) * 1000, 2),
            "queries": self.queries,
            "answer_kb": round(self.answer_bytes / 1024, 1),
            "baseline": self.baseline_label,
            "baseline_median_ms": round(base * 1000, 2),
            "baseline_queries": self.baseline_queries,
            "ratio": round(median / base, 2) if base else None,
            "problem": self.problem,
        }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(case: Case, runs: int) -> Measured:
    """One warm-up each, then the case and its baseline in turn, so load hits both alike.

    Timed runs capture no queries (the capture costs time); one more run of each counts them.
    """
    result = Measured(case.name, case.baseline_label, runs)
    case.run()
    case.baseline()
    for _ in range(runs):
        started = time.perf_counter()
        case.run()
        result.seconds.append(time.perf_counter() - started)
        started = time.perf_counter()
        case.baseline()
        result.baseline_seconds.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        body = case.run()
    result.answer_bytes = len(body)
    result.problem = case.check(body) if case.check else ""
    result.queries = len(queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        case.baseline()
    result.baseline_queries = len(queries.captured_queries)
    return result


class Browser:
    """GET requests as the editor (pages) or with the token (API); checks the status."""

    def __init__(self, base: Base):
        self.pages = Client()
        self.pages.force_login(base.editor)
        self.api = Client(headers={"Authorization": f"Bearer {base.token}"})

    def get(self, client: Client, url: str, **headers: str) -> bytes:
        response = client.get(url, secure=True, headers=headers)
        body = b"".join(response) if response.streaming else response.content
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}: {body[:300]!r}")
        return body

    def page(self, url: str, **headers: str) -> Callable[[], bytes]:
        return lambda: self.get(self.pages, url, **headers)

    def endpoint(self, url: str) -> Callable[[], bytes]:
        return lambda: self.get(self.api, url)


def explorer_list(cleaned: dict, size: int = PAGE_SIZE) -> Callable[[], list]:
    """The explorer's queryset for `cleaned`, its first page evaluated to a list."""
    return lambda: list(findings_filtered("signals", cleaned)[:size])


def page_cases(base: Base) -> list[Case]:
    browser = Browser(base)
    first, second = base.big_themes
    year_start = timezone.localdate().replace(month=1, day=1)
    explorer = [
        ("explorer: no filter", "", {}),
        ("explorer: one theme", f"theme={first.slug}", {"theme": [first]}),
        (
            "explorer: two themes, all",
            f"theme={first.slug}&theme={second.slug}&match=all",
            {"theme": [first, second], "match": "all"},
        ),
        ("explorer: text search", f"q={SEARCH_WORD}", {"q": SEARCH_WORD}),
        (
            "explorer: relevancy>=4, this year",
            f"min_relevancy=4&date_from={year_start.isoformat()}",
            {"min_relevancy": 4, "date_from": year_start},
        ),
    ]
    label = "findings_filtered()[:25] to a list"
    cases = [
        Case("dashboard", browser.page("/"), dashboard, "dashboard() selectors"),
        *(
            Case(name, browser.page(f"/explore/?{query}"), explorer_list(cleaned), label)
            for name, query, cleaned in explorer
        ),
        Case(
            "explorer fragment (HTMX), one theme",
            browser.page(
                f"/explore/?theme={first.slug}", HX_Request="true", HX_Target="explore-results"
            ),
            explorer_list({"theme": [first]}),
            label,
            check=lambda body: "fragment holds <html>" if b"<html" in body else "",
        ),
        Case(
            "sources: category+theme+dates",
            browser.page(
                f"/sources/?category=technology&theme={first.slug}"
                f"&date_from={(year_start.replace(year=year_start.year - 1)).isoformat()}"
            ),
            _sources_list(first, year_start),
            "sources_filtered()[:25] to a list",
        ),
        Case(
            "theme page (biggest theme)",
            browser.page(f"/themes/{first.slug}/"),
            lambda: (selectors.theme_page(first), related.theme_relations(first)),
            "theme_page() + theme_relations()",
        ),
        Case(
            f"API findings list, limit {API_LIMIT}",
            browser.endpoint(f"/api/v1/findings/signals/?limit={API_LIMIT}"),
            _api_baseline,
            f"same queryset[:{API_LIMIT}] -> json.dumps",
        ),
        Case(
            "API CSV export, one theme's signals",
            browser.endpoint(f"/api/v1/export/findings/signals?theme={first.slug}&format=csv"),
            _csv_baseline(first),
            "same queryset -> csv.writer",
        ),
    ]
    return cases


def _sources_list(theme, year_start) -> Callable[[], list]:
    from apps.knowledge.models import Category

    category = Category.objects.get(name="technology")
    cleaned = {
        "category": category,
        "theme": theme,
        "date_from": year_start.replace(year=year_start.year - 1),
    }
    return lambda: list(sources_filtered(cleaned)[:SOURCES_PER_PAGE])


def _finding_row(finding, columns) -> dict:
    row = {"id": finding.pk, "source": finding.source_id, "source_title": finding.source.title}
    row.update({column: getattr(finding, column) for column in columns})
    row["themes"] = [{"id": t.pk, "name": t.name, "slug": t.slug} for t in finding.themes.all()]
    row.update(version=finding.version, origin=finding.origin, updated_at=finding.updated_at)
    return row


def _api_baseline() -> str:
    findings = with_themes(findings_filtered("signals", {}))
    columns = columns_for("signals")
    count = findings.count()
    items = [_finding_row(finding, columns) for finding in findings[:API_LIMIT]]
    return json.dumps({"count": count, "items": items}, default=str)


def _csv_baseline(theme) -> Callable[[], str]:
    columns = columns_for("signals")

    def write() -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        findings = findings_filtered("signals", {"theme": [theme]})
        for finding in findings:
            themes = "; ".join(t.name for t in carried_themes(finding))
            source = finding.source
            cells = [finding.pk, *(getattr(finding, c) for c in columns), themes]
            writer.writerow([*cells, source.pk, source.title, source.url, finding.date])
        return buffer.getvalue()

    return write


def plain_zip() -> bytes:
    """The backup's baseline: every record rendered and zipped, no manifest, no read-back."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for source, record in iter_records(sources_for_export()):
            archive.writestr(f"records/{source.pk:06d}.md", render_record(record))
    return out.getvalue()
