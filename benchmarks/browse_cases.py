"""The browse benchmark's cases (issue 13): each request beside the plain code it wraps.

A case is a request through Django's test Client (a logged-in editor for pages, the API
token for /api/v1/) and a baseline doing the same database work without the view: the
queryset evaluated to a list, json.dumps or csv.writer over the same rows. Their ratio is
what the view, forms, templates or serialisers cost on top of the data they show. A page
whose path no route answers (the search page, before it exists) is "not available".
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable
from urllib.parse import urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

from apps.api.findings import with_themes
from apps.core.dashboard import dashboard
from apps.core.streaming import chunked
from apps.knowledge import related, selectors
from apps.knowledge.explorer import PAGE_SIZE, carried_themes, findings_filtered
from apps.knowledge.models import FINDING_MODELS
from apps.records.findings_export import EXPORT_CHUNK, FLUSH_CHARS, columns_for
from apps.records.selectors import iter_records, sources_for_export
from apps.records.writer import render_record
from apps.sources.models import Source
from benchmarks.browse_data import SEARCH_TYPO, SEARCH_WORD, Base
from benchmarks.browse_measure import Case

API_LIMIT = 100
DEEP_PAGE = 200
EXPORT_RUNS = 3
HEAD_BYTES = 64 * 1024


class Browser:
    """GET requests as the editor (pages) or with the token (API); checks the status."""

    def __init__(self, base: Base):
        self.pages = Client()
        self.pages.force_login(base.editor)
        self.api = Client(headers={"Authorization": f"Bearer {base.token.plaintext}"})

    def get(self, client: Client, url: str, **headers: str) -> bytes:
        response = client.get(url, secure=True, headers=headers)
        body = _read(response) if response.streaming else response.content
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}: {body[:300]!r}")
        return body

    def page(self, url: str, **headers: str) -> Callable[[], bytes] | None:
        """The request, or None when no route answers the URL's path (a page not built yet)."""
        if not routed(url):
            return None
        return lambda: self.get(self.pages, url, **headers)

    def endpoint(self, url: str) -> Callable[[], bytes]:
        return lambda: self.get(self.api, url)


class Body(bytes):
    """The start of a streamed answer, with its whole size: a client that kept the whole
    body would count it in the export's heap peak, which is the server's memory only."""

    size: int


def _read(response) -> Body:
    head, size = b"", 0
    for chunk in response:
        head = head or chunk[:HEAD_BYTES]
        size += len(chunk)
    body = Body(head)
    body.size = size
    return body


def routed(url: str) -> bool:
    try:
        resolve(urlsplit(url).path)
    except Resolver404:
        return False
    return True


def explorer_list(cleaned: dict, offset: int = 0) -> Callable[[], list]:
    """The explorer's queryset for `cleaned`, one page evaluated to a list."""
    return lambda: list(findings_filtered("signals", cleaned)[offset : offset + PAGE_SIZE])


def page_cases(base: Base) -> list[Case]:
    """The pages issue 13 names, each with the plain data work it renders."""
    browser = Browser(base)
    first, second = base.big_themes
    label = "findings_filtered()[:25] to a list"
    search = browser.page(f"/search/?q={SEARCH_WORD}")
    typo = browser.page(f"/search/?q={SEARCH_TYPO}")
    search_note = ""
    if search is None:  # the search page (issue 13, point 1) is not on this branch yet
        search, search_note = browser.page(f"/explore/?q={SEARCH_WORD}"), "explorer q"
    two = f"theme={first.slug}&theme={second.slug}&min_relevancy=4"
    return [
        Case(
            "explorer: one theme",
            browser.page(f"/explore/?theme={first.slug}"),
            explorer_list({"theme": [first]}),
            label,
        ),
        Case(
            "explorer: two themes, relevancy>=4",
            browser.page(f"/explore/?{two}"),
            explorer_list({"theme": [first, second], "min_relevancy": 4}),
            label,
        ),
        Case(
            "explorer: a rare theme",
            browser.page(f"/explore/?theme={base.rare_theme.slug}"),
            explorer_list({"theme": [base.rare_theme]}),
            label,
        ),
        Case(
            f"search: {SEARCH_WORD}",
            search,
            explorer_list({"q": SEARCH_WORD}),
            label,
            note=search_note,
        ),
        Case(
            f"search with a typo: {SEARCH_TYPO}",
            typo,
            explorer_list({"q": SEARCH_WORD}),
            label,
            note="" if typo else "not available (no /search/ page)",
            check=_corrected,
        ),
        Case(
            f"explorer: page {DEEP_PAGE}",
            browser.page(f"/explore/?page={DEEP_PAGE}"),
            explorer_list({}, offset=(DEEP_PAGE - 1) * PAGE_SIZE),
            "the same 25 rows by OFFSET",
        ),
        Case(
            "theme page (biggest theme)",
            browser.page(f"/themes/{first.slug}/"),
            lambda: (selectors.theme_page(first), related.theme_relations(first)),
            "theme_page() + theme_relations()",
        ),
        Case(
            "source page",
            browser.page(f"/sources/{base.source_id}/"),
            lambda: source_page_data(base.source_id),
            "the source and its findings to lists",
        ),
        Case("dashboard", browser.page("/"), dashboard, "dashboard() selectors"),
        Case(
            f"API signals of a theme, limit {API_LIMIT}",
            browser.endpoint(f"/api/v1/findings/signals/?theme={first.slug}&limit={API_LIMIT}"),
            _api_baseline(first),
            f"same queryset[:{API_LIMIT}] -> json.dumps",
        ),
        *(
            Case(
                f"CSV export, {which} theme's signals",
                browser.endpoint(f"/api/v1/export/findings/signals?theme={theme.slug}&format=csv"),
                _csv_baseline(theme),
                "same queryset, chunked -> csv.writer",
                export=True,
                max_runs=EXPORT_RUNS,
            )
            for which, theme in (("biggest", first), ("a smaller", base.small_theme))
        ),
    ]


def _corrected(body: bytes) -> str:
    """A problem when the typo was not put right (the page must show the word's results)."""
    return "" if b"Showing results for" in body else "the misspelt word was not corrected"


def source_page_data(source_id: int) -> list:
    source = Source.objects.defer("raw_content").get(pk=source_id)
    findings = [list(model.objects.filter(source=source)) for model in FINDING_MODELS.values()]
    return [source, *findings]


def _finding_row(finding, columns) -> dict:
    row = {"id": finding.pk, "source": finding.source_id, "source_title": finding.source.title}
    row.update({column: getattr(finding, column) for column in columns})
    row["themes"] = [{"id": t.pk, "name": t.name, "slug": t.slug} for t in finding.themes.all()]
    row.update(version=finding.version, origin=finding.origin, updated_at=finding.updated_at)
    return row


def _api_baseline(theme) -> Callable[[], str]:
    def write() -> str:
        findings = with_themes(findings_filtered("signals", {"theme": [theme]}))
        columns = columns_for("signals")
        count = findings.count()
        items = [_finding_row(finding, columns) for finding in findings[:API_LIMIT]]
        return json.dumps({"count": count, "items": items}, default=str)

    return write


def _csv_baseline(theme) -> Callable[[], int]:
    """The same rows through csv.writer, read in chunks like the export (streamed: a
    baseline that held every row would measure the benchmark's memory, not the view's)."""
    columns = columns_for("signals")

    def write() -> int:
        buffer, written = io.StringIO(), 0
        writer = csv.writer(buffer, lineterminator="\r\n")
        findings = findings_filtered("signals", {"theme": [theme]})
        findings = findings.select_related("source").prefetch_related("themes", "source__themes")
        for finding in chunked(findings, chunk_size=EXPORT_CHUNK):
            themes = "; ".join(t.name for t in carried_themes(finding))
            source = finding.source
            cells = [finding.pk, *(getattr(finding, c) for c in columns), themes]
            writer.writerow([*cells, source.pk, source.title, source.url, finding.date])
            if buffer.tell() >= FLUSH_CHARS:
                written += buffer.tell()
                buffer.seek(0)
                buffer.truncate()
        return written + buffer.tell()

    return write


def plain_zip() -> bytes:
    """The backup's baseline: every record rendered and zipped, no manifest, no read-back."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for source, record in iter_records(sources_for_export()):
            archive.writestr(f"records/{source.pk:06d}.md", render_record(record))
    return out.getvalue()
