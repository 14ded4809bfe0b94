"""The sources list page: filters in the URL, HTMX fragments, empty states, query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.sources import views
from apps.sources.models import Source
from tests.accounts.factories import UserFactory as RoleUserFactory
from tests.factories import (
    BehaviorFactory,
    IssueFactory,
    SignalFactory,
    SourceFactory,
    SourceThemeFactory,
    TechnologyFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("sources:list")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "source-results"}


def detail_url(source) -> str:
    return reverse("sources:detail", args=[source.pk])


def full_source(findings: int = 2, themes: int = 2) -> Source:
    source = SourceFactory()
    for _ in range(themes):
        SourceThemeFactory(source=source)
    for _ in range(findings):
        SignalFactory(source=source)
        BehaviorFactory(source=source)
        TechnologyFactory(source=source)
        IssueFactory(source=source)
    return source


# --- Access --------------------------------------------------------------------------


def test_the_list_lives_at_sources_and_the_nav_points_there(reader_client):
    assert LIST == "/sources/"
    html = reader_client.get(LIST).content.decode()
    assert f'href="{LIST}" aria-current="page">Sources</a>' in html


def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("role", "offers_submit"),
    [("reader", False), ("analyst", True), ("editor", True), ("admin", True)],
)
def test_every_role_reads_the_list_and_analysts_are_offered_submit(client, role, offers_submit):
    client.force_login(RoleUserFactory(role=role))
    response = client.get(LIST)
    assert response.status_code == 200
    submit_button = f'class="button button-small" href="{reverse("sources:submit")}"'
    assert (submit_button in response.content.decode()) is offers_submit


# --- The list ------------------------------------------------------------------------


def test_it_lists_sources_with_themes_and_counts(reader_client):
    source = SourceFactory(title="Open models win", canonical_url="https://www.example.net/a")
    theme = ThemeFactory(name="open source")
    SourceThemeFactory(source=source, theme=theme)
    SignalFactory.create_batch(2, source=source)
    TechnologyFactory(source=source)

    response = reader_client.get(LIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{detail_url(source)}">Open models win</a>' in html
    assert "example.net" in html
    assert f'href="{theme.get_absolute_url()}"' in html
    assert "2 signals" in html
    assert "0 behaviors" in html
    assert "1 technology" in html
    assert source.category.name in html


def test_it_is_newest_first(reader_client):
    SourceFactory(title="Older one")
    SourceFactory(title="Newer one")
    html = reader_client.get(LIST).content.decode()
    assert html.index("Newer one") < html.index("Older one")


def test_it_paginates_25_per_page_and_page_links_keep_the_filter(reader_client):
    SourceFactory.create_batch(26, title="Paged")
    first = reader_client.get(LIST, {"q": "paged"})
    second = reader_client.get(LIST, {"q": "paged", "page": 2})
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 1
    assert "Page 2 of 2" in second.content.decode()
    assert 'href="?q=paged&amp;page=2"' in first.content.decode()
    assert 'hx-target="#source-results"' in first.content.decode()


def test_the_filter_form_has_a_label_for_every_control(reader_client):
    html = reader_client.get(LIST).content.decode()
    for control in ("q", "state", "category", "type", "theme", "submitter", "from", "to", "sort"):
        assert f'<label for="filter-{control}">' in html
        assert f'id="filter-{control}"' in html


def test_the_form_keeps_the_values_of_the_url(reader_client):
    SourceFactory(category__name="policy")
    html = reader_client.get(
        LIST, {"q": "moat", "category": "policy", "sort": "title", "date_from": "2026-01-02"}
    ).content.decode()
    assert 'name="q" value="moat"' in html
    assert "<option selected>policy</option>" in html
    assert '<option value="title" selected>' in html
    assert 'name="date_from" value="2026-01-02"' in html


def test_the_form_swaps_only_the_results_and_pushes_the_url(reader_client):
    html = reader_client.get(LIST).content.decode()
    form = html[
        html.index('<form id="source-filter"') : html.index("</form>", html.index("source-filter"))
    ]
    assert f'method="get" action="{LIST}"' in form
    assert 'hx-target="#source-results"' in form
    assert 'hx-push-url="true"' in form


def test_htmx_gets_the_results_fragment_without_the_page(reader_client):
    SourceFactory(title="Wanted one", status=Source.Status.FAILED)
    SourceFactory(title="Other one")

    response = reader_client.get(LIST, {"state": "failed"}, **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="source-results"')
    assert "<html" not in html
    assert "source-filter" not in html
    assert "Wanted one" in html
    assert "Other one" not in html


def test_a_plain_request_gets_the_whole_page(reader_client):
    html = reader_client.get(LIST, {"state": "failed"}).content.decode()
    assert "<html" in html
    assert 'id="source-results"' in html


# --- Bad input and empty states ------------------------------------------------------


def test_an_invalid_parameter_is_named_and_the_rest_still_applies(reader_client):
    SourceFactory(title="Failed one", status=Source.Status.FAILED)
    SourceFactory(title="Done one")

    response = reader_client.get(LIST, {"state": "failed", "date_from": "yesterday"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Submitted from: Enter a date as YYYY-MM-DD." in html
    assert "Failed one" in html
    assert "Done one" not in html


def test_invalid_parameters_are_reported_in_the_fragment_too(reader_client):
    html = reader_client.get(LIST, {"theme": "no such theme", "sort": "size"}, **HTMX).content
    html = html.decode()
    assert 'role="alert"' in html
    assert "Theme: no theme is named “no such theme”" in html
    assert "Sort: “size” is not a way to sort" in html


def test_it_says_how_to_import_when_empty(reader_client):
    html = reader_client.get(LIST).content.decode()
    assert "No sources yet" in html
    assert "python manage.py import_markdown PATH" in html


def test_analysts_are_told_to_submit_when_empty(client):
    client.force_login(RoleUserFactory(role="analyst"))
    html = client.get(LIST).content.decode()
    assert f'<a href="{reverse("sources:submit")}">Submit links</a> and Spyglass' in html


def test_a_filter_matching_nothing_offers_to_clear_it(reader_client):
    SourceFactory(title="Something")
    html = reader_client.get(LIST, {"q": "nothing like it"}).content.decode()
    assert "No source matches these filters" in html
    assert f'<a href="{LIST}">clear all filters</a>' in html
    assert "No sources yet" not in html


# --- Query counts --------------------------------------------------------------------


def count_queries(client, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"state": "done", "category": "technology", "type": "news", "q": "source", "sort": "title"},
    ],
)
def test_the_query_count_does_not_grow_with_the_page_size(reader_client, monkeypatch, params):
    monkeypatch.setattr(views, "SOURCES_PER_PAGE", 30)
    for _ in range(2):
        full_source()
    with_two = count_queries(reader_client, params)
    for _ in range(28):
        full_source(findings=3, themes=3)
    with_thirty = count_queries(reader_client, params)

    assert len(reader_client.get(LIST, params).context["page"]) == 30
    assert with_two == with_thirty
    assert with_thirty <= 14


def test_a_theme_and_date_filter_costs_the_same_for_few_or_many(reader_client):
    theme = ThemeFactory(name="ai")
    today = timezone.localdate()
    params = {"theme": "ai", "date_from": str(today - timedelta(days=1)), "date_to": str(today)}
    SourceThemeFactory(theme=theme, source=full_source())
    few = count_queries(reader_client, params)
    for _ in range(20):
        SourceThemeFactory(theme=theme, source=full_source())
    assert count_queries(reader_client, params) == few


def test_htmx_answers_push_the_filter_without_empty_parameters(reader_client):
    params = {"q": "", "state": "failed", "theme": "", "sort": "-submitted"}
    response = reader_client.get(LIST, params, **HTMX)
    assert response["HX-Push-Url"] == f"{LIST}?state=failed&sort=-submitted"
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(reader_client):
    restore = {**HTMX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    html = reader_client.get(LIST, {"state": "failed"}, **restore).content.decode()
    assert "<html" in html
