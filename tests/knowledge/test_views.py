import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.knowledge import views
from apps.knowledge.models import BehaviorTheme, IssueTheme, Theme
from tests.accounts.factories import UserFactory as RoleUserFactory
from tests.factories import (
    BehaviorFactory,
    IssueFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeAliasFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

INDEX = reverse("knowledge:theme_index")


def theme_url(slug: str) -> str:
    return reverse("knowledge:theme", args=[slug])


def test_anonymous_is_sent_to_login(client):
    theme = ThemeFactory()
    for url in (INDEX, theme_url(theme.slug)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_theme_page_shows_sources_and_findings_by_kind(reader_client):
    theme = ThemeFactory(name="open source", description="Code anyone may use.")
    ThemeAliasFactory(theme=theme, name="opensource")
    source = SourceFactory(title="No moat")
    SourceThemeFactory(source=source, theme=theme)
    signal = SignalFactory(source=source, name="Open LLM innovation", relevancy=5)
    SignalThemeFactory(signal=signal, theme=theme)
    behavior = BehaviorFactory(source=source, name="Fine-tuning at home")
    BehaviorTheme.objects.create(behavior=behavior, theme=theme)
    SignalFactory(source=SourceFactory(), name="Not about this theme")

    response = reader_client.get(theme_url(theme.slug))

    assert response.status_code == 200
    html = response.content.decode()
    assert "open source" in html
    assert "Approved" in html or "approved" in html
    assert "opensource" in html
    assert "Code anyone may use." in html
    assert f'href="{source.get_absolute_url()}">No moat</a>' in html
    assert f'href="{source.get_absolute_url()}#signals-{signal.pk}"' in html
    assert f'href="{source.get_absolute_url()}#behaviors-{behavior.pk}"' in html
    assert "Not about this theme" not in html
    assert html.index("Open LLM innovation") < html.index("Fine-tuning at home")


def test_a_merged_theme_redirects_to_its_target(reader_client):
    target = ThemeFactory(name="llama")
    merged = ThemeFactory(name="llaama", status=Theme.Status.MERGED, merged_into=target)
    response = reader_client.get(theme_url(merged.slug))
    assert response.status_code == 301
    assert response.url == target.get_absolute_url()


def test_a_chain_of_merges_redirects_to_the_last_theme(reader_client):
    last = ThemeFactory()
    middle = ThemeFactory(status=Theme.Status.MERGED, merged_into=last)
    first = ThemeFactory(status=Theme.Status.MERGED, merged_into=middle)
    response = reader_client.get(theme_url(first.slug))
    assert response.url == last.get_absolute_url()


def test_an_alias_slug_redirects_to_its_theme(reader_client):
    theme = ThemeFactory(name="language models")
    ThemeAliasFactory(theme=theme, name="LLMs")
    response = reader_client.get(theme_url("llms"))
    assert response.status_code == 301
    assert response.url == theme.get_absolute_url()


def test_an_unknown_slug_is_404(reader_client):
    assert reader_client.get(theme_url("no-such-theme")).status_code == 404


def test_theme_page_shows_the_first_50_of_each_kind_with_the_total(reader_client):
    theme = ThemeFactory()
    source = SourceFactory()
    for issue in IssueFactory.create_batch(51, source=source):
        IssueTheme.objects.create(issue=issue, theme=theme)
    response = reader_client.get(theme_url(theme.slug))
    issues = response.context["groups"][-1]
    assert (len(issues.items), issues.total) == (50, 51)
    assert "Showing the first 50 of 51." in response.content.decode()


def test_theme_page_runs_the_same_queries_for_2_or_20_items(reader_client):
    def count_queries(theme) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert reader_client.get(theme_url(theme.slug)).status_code == 200
        return len(queries)

    small, big = ThemeFactory(), ThemeFactory()
    for theme, n in ((small, 2), (big, 20)):
        ThemeAliasFactory.create_batch(n, theme=theme)
        for _ in range(n):
            SourceThemeFactory(theme=theme)
            SignalThemeFactory(theme=theme)

    assert count_queries(small) == count_queries(big)


def test_index_lists_approved_and_proposed_themes_with_source_counts(reader_client):
    ai = ThemeFactory(name="ai")
    SourceThemeFactory.create_batch(3, theme=ai)
    ThemeFactory(name="biology", status=Theme.Status.PROPOSED)
    ThemeFactory(name="old name", status=Theme.Status.MERGED, merged_into=ai)
    ThemeFactory(name="nonsense", status=Theme.Status.REJECTED)

    response = reader_client.get(INDEX)

    assert response.status_code == 200
    names = [theme.name for theme in response.context["page"]]
    assert names == ["ai", "biology"]
    assert response.context["page"][0].source_count == 3
    assert "3 sources" in response.content.decode()


def test_index_filters_by_name(reader_client):
    ThemeFactory(name="Open Source")
    ThemeFactory(name="climate")
    response = reader_client.get(INDEX, {"q": "open"})
    assert [theme.name for theme in response.context["page"]] == ["Open Source"]
    assert 'value="open"' in response.content.decode()


def test_index_finds_a_theme_by_alias_and_counts_each_kind(reader_client):
    ai = ThemeFactory(name="artificial intelligence")
    ThemeAliasFactory(theme=ai, name="AI")
    ThemeFactory(name="climate")
    SignalThemeFactory.create_batch(2, theme=ai)
    IssueTheme.objects.create(issue=IssueFactory(), theme=ai)

    response = reader_client.get(INDEX, {"q": "ai"})

    assert [theme.name for theme in response.context["page"]] == ["artificial intelligence"]
    html = response.content.decode()
    assert "<span>2 signals</span>" in html
    assert "<span>1 issue</span>" in html
    assert "behavior" not in html.split('id="theme-results"')[1]


def test_index_search_swaps_the_list_with_htmx_and_pushes_the_url(reader_client):
    ThemeFactory(name="Open Source")
    page = reader_client.get(INDEX).content.decode()
    assert 'hx-target="#theme-results"' in page
    assert 'hx-push-url="true"' in page
    assert '<label for="theme-q">' in page

    response = reader_client.get(
        INDEX, {"q": "open"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="theme-results"
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="theme-results"')
    assert "<html" not in html
    assert "Open Source" in html


def test_index_says_what_to_do_when_nothing_matches(reader_client):
    ThemeFactory(name="climate")
    html = reader_client.get(INDEX, {"q": "zzz"}).content.decode()
    assert "No theme name or alias contains “zzz”" in html
    assert f'<a href="{INDEX}">show all themes</a>' in html


def test_index_runs_the_same_queries_for_2_or_40_themes(reader_client, monkeypatch):
    monkeypatch.setattr(views, "THEMES_PER_PAGE", 40)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert reader_client.get(INDEX, {"q": "t"}).status_code == 200
        return len(queries)

    def themes(n: int) -> None:
        for theme in ThemeFactory.create_batch(n):
            SourceThemeFactory(theme=theme)
            SignalThemeFactory(theme=theme)
            ThemeAliasFactory(theme=theme)

    themes(2)
    few = count_queries()
    themes(38)
    assert len(reader_client.get(INDEX, {"q": "t"}).context["page"]) == 40
    assert count_queries() == few


def test_a_theme_named_proposed_is_reachable_and_the_queue_too(client):
    theme = ThemeFactory(name="proposed")
    client.force_login(RoleUserFactory(role="editor"))
    response = client.get(theme.get_absolute_url())
    assert response.context["theme"] == theme
    queue = client.get(reverse("knowledge:theme_proposed"))
    assert queue.status_code == 200
    assert "theme" not in queue.context


def test_the_old_queue_address_redirects_when_no_theme_has_it(client):
    client.force_login(RoleUserFactory(role="editor"))
    response = client.get("/themes/proposed/")
    assert response.status_code == 301
    assert response.url == reverse("knowledge:theme_proposed")


def test_index_search_pushes_the_address_and_keeps_page_and_fragment_apart(reader_client):
    response = reader_client.get(
        INDEX, {"q": "open", "page": ""}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="theme-results"
    )
    assert response["HX-Push-Url"] == f"{INDEX}?q=open"
    assert "HX-Request" in reader_client.get(INDEX)["Vary"]
