"""Every list page and API list runs at most MAX_QUERIES queries, however many rows it shows.

Measured as the benchmark sees them (docs/performance.md): a second request, when the
counts cached until the knowledge changes are warm. The tests commit (transactional_db)
because the cache generation only moves when a change commits.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.tokens import token_create
from apps.sources.models import ClassificationRun
from tests.accounts.factories import UserFactory
from tests.factories import (
    BehaviorFactory,
    ExtraSectionFactory,
    IssueFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceKeywordFactory,
    SourceThemeFactory,
    TechnologyFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

MAX_QUERIES = 10
PAGES = [
    "/",
    "/explore/",
    "/explore/?theme={big}",
    "/explore/?theme={big}&theme={other}&match=all&min_relevancy=2",
    "/explore/?page=2&sort=name",
    "/explore/issues/?theme={big}",
    "/sources/",
    "/sources/?theme={big}&category=technology&date_from=2020-01-01",
    "/themes/",
    "/themes/{big}/",
]
API = [
    "/api/v1/findings/signals/?limit=100",
    "/api/v1/findings/signals/?theme={big}&limit=5&offset=5",
    "/api/v1/findings/signals/?sort=-date&limit=5&cursor={cursor}",
    "/api/v1/sources/?limit=100",
    "/api/v1/themes/?limit=100",
    "/api/v1/themes/proposed/",
]


def _fill(n: int, themes: list) -> None:
    for i in range(n):
        source = SourceFactory()
        SourceThemeFactory(source=source, theme=themes[i % len(themes)])
        for _ in range(2):
            signal = SignalFactory(source=source, relevancy=1 + i % 5)
            SignalThemeFactory(signal=signal, theme=themes[(i + 1) % len(themes)])
        IssueFactory(source=source)


@pytest.fixture
def clients():
    editor = UserFactory(username="erin", role="editor")
    pages = Client()
    pages.force_login(editor)
    _, token = token_create(user=editor, name="budget")
    return pages, Client(headers={"Authorization": f"Bearer {token}"})


def _queries(client: Client, url: str) -> int:
    client.get(url, secure=True)  # fills the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    assert response.status_code == 200, (url, response.content[:300])
    return len(queries)


def _counts(clients, themes) -> dict[str, int]:
    pages, api = clients
    slugs = {"big": themes[0].slug, "other": themes[1].slug}
    first = api.get("/api/v1/findings/signals/?sort=-date&limit=2", secure=True).json()
    slugs["cursor"] = first["next_cursor"]
    counts = {url: _queries(pages, url.format(**slugs)) for url in PAGES}
    counts.update({url: _queries(api, url.format(**slugs)) for url in API})
    return counts


def test_list_pages_and_api_lists_stay_within_the_budget_whatever_their_size(clients):
    themes = [ThemeFactory() for _ in range(3)]
    _fill(8, themes)  # every list shows a row: an empty page skips its prefetches
    few = _counts(clients, themes)
    _fill(40, themes)
    many = _counts(clients, themes)

    over = {url: count for url, count in many.items() if count > MAX_QUERIES}
    assert not over, f"more than {MAX_QUERIES} queries: {over}"
    grown = {url: (few[url], many[url]) for url in many if many[url] != few[url]}
    assert not grown, f"queries grew with the rows: {grown}"


def _source_with(findings: int, themes: list):
    """A source holding `findings` findings, of every kind in turn, each with a theme; and
    what else its page shows: themes, keywords, an extra section, classifier runs."""
    source = SourceFactory(extracted_text="The page's text.")
    SourceThemeFactory(source=source, theme=themes[0])
    SourceKeywordFactory(source=source)
    ExtraSectionFactory(source=source, body="| a |\n|---|\n| b |")
    ClassificationRun.objects.create(source=source, classifier="local", outcome="applied")
    kinds = (SignalFactory, BehaviorFactory, TechnologyFactory, IssueFactory)
    for i in range(findings):
        finding = kinds[i % len(kinds)](source=source, relevancy=1 + i % 5)
        finding.themes.through.objects.create(
            **{finding._meta.model_name: finding}, theme=themes[i % len(themes)]
        )
    return source


@pytest.mark.parametrize("role", ["editor", "reader"])
def test_the_source_page_stays_within_the_budget_whatever_its_findings(role):
    themes = [ThemeFactory() for _ in range(3)]
    few, many = _source_with(3, themes), _source_with(30, themes)
    client = Client()
    client.force_login(UserFactory(username=f"{role}-1", role=role))

    counts = {n: _queries(client, f"/sources/{source.pk}/") for n, source in ((3, few), (30, many))}

    assert counts[30] <= MAX_QUERIES, counts
    assert counts[3] == counts[30], f"queries grew with the findings: {counts}"
