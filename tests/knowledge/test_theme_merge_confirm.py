"""A merge from the pages is confirmed first, on a page naming both themes and what moves."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.knowledge.models import Theme, ThemeSuggestion
from apps.sources.models import SourceTheme
from tests.factories import (
    IssueFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def merge_url(theme: Theme, **query) -> str:
    url = reverse("knowledge:theme_merge", args=[theme.pk])
    return f"{url}?{urlencode(query)}" if query else url


@pytest.fixture
def fog(db):
    edge = ThemeFactory(name="edge computing")
    fog = ThemeFactory(name="fog computing")
    SourceThemeFactory(theme=fog)
    SourceThemeFactory(theme=fog)
    SignalThemeFactory(theme=fog)
    issue = IssueFactory()
    issue.themes.through.objects.create(issue=issue, theme=fog)
    SourceThemeFactory(theme=edge)  # not moving: not counted
    return fog


def assert_not_merged(theme: Theme) -> None:
    theme.refresh_from_db()
    assert theme.status == Theme.Status.APPROVED
    assert SourceTheme.objects.filter(theme=theme).count() == 2
    assert not AuditEntry.objects.filter(field="merged_into").exists()


def test_asking_shows_both_themes_and_how_many_links_move_and_merges_nothing(editor_client, fog):
    response = editor_client.get(merge_url(fog, into="Edge Computing"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Merge “fog computing” into “edge computing”?</h1>" in html
    assert "4 links will move from “fog computing” to “edge computing”:" in html
    assert "<li>2 sources</li>" in html
    assert "<li>2 findings (1 signal, 1 issue)</li>" in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    assert '<input type="hidden" name="into" value="Edge Computing">' in html
    assert f'<a href="{fog.get_absolute_url()}">Cancel</a>' in html
    assert_not_merged(fog)


def test_a_post_without_the_confirmation_only_asks(editor_client, fog):
    response = editor_client.post(merge_url(fog), {"into": "edge computing"})
    assert "Merge “fog computing” into “edge computing”?" in response.content.decode()
    assert_not_merged(fog)


def test_an_htmx_post_without_the_confirmation_sends_the_browser_to_the_question(
    editor_client, fog
):
    response = editor_client.post(merge_url(fog), {"into": "edge computing"}, **HTMX)
    assert response["HX-Redirect"] == merge_url(fog, into="edge computing")
    assert_not_merged(fog)


def test_confirming_merges_and_lands_on_the_target(editor_client, fog):
    response = editor_client.post(merge_url(fog), {"into": "edge computing", "confirmed": "yes"})
    edge = Theme.objects.get(name="edge computing")
    assert response.url == edge.get_absolute_url()
    assert SourceTheme.objects.filter(theme=edge).count() == 3
    assert Theme.objects.get(pk=fog.pk).merged_into == edge


def test_a_merge_that_cannot_be_done_is_refused_before_asking(editor_client, fog):
    response = editor_client.get(merge_url(fog, into="fog computing"), follow=True)
    assert response.redirect_chain == [(fog.get_absolute_url(), 302)]
    assert "a theme cannot be merged into itself" in response.content.decode()
    response = editor_client.get(merge_url(fog, into="no such theme"), follow=True)
    assert "Merge into: no theme is named “no such theme”" in response.content.decode()


def test_a_proposal_from_the_queue_names_its_suggesting_sources_and_comes_back(editor_client):
    ThemeFactory(name="quantum sensors")
    theme = ThemeFactory(name="quantum sensing", status=Theme.Status.PROPOSED)
    for source in (SourceFactory(), SourceFactory()):
        ThemeSuggestion.objects.create(theme=theme, source=source, name="quantum sensing")
    queue = reverse("knowledge:theme_proposed")

    asked = editor_client.get(merge_url(theme, into="quantum sensors", back="queue", page="2"))

    html = asked.content.decode()
    assert "No source or finding carries “quantum sensing”: no link moves." in html
    assert "2 sources suggested “quantum sensing”; they will carry “quantum sensors”." in html
    assert '<input type="hidden" name="back" value="queue">' in html
    assert f'<a href="{queue}?page=2">Cancel</a>' in html
    done = editor_client.post(
        merge_url(theme),
        {"into": "quantum sensors", "confirmed": "yes", "back": "queue", "page": "2"},
    )
    assert done.url == f"{queue}?page=2"
    assert SourceTheme.objects.count() == 2


def test_the_theme_page_and_the_queue_ask_with_a_plain_get_form(editor_client, fog):
    proposal = ThemeFactory(name="quantum sensing", status=Theme.Status.PROPOSED)
    for page, theme in (
        (fog.get_absolute_url(), fog),
        (reverse("knowledge:theme_proposed"), proposal),
    ):
        html = editor_client.get(page).content.decode()
        assert f'method="get" action="{merge_url(theme)}"' in html


def test_readers_cannot_even_ask(reader_client, fog):
    assert reader_client.get(merge_url(fog, into="edge computing")).status_code == 403
