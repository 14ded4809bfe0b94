"""Themes of sources and findings edited in place, and the history of each item."""

import pytest

from apps.knowledge.findings import finding_update, theme_link_add
from apps.sources.models import SourceTheme
from tests.factories import (
    IssueFactory,
    SignalFactory,
    SourceFactory,
    ThemeAliasFactory,
    ThemeFactory,
)
from tests.knowledge.finding_support import (
    HTMX,
    flashed,
    is_fragment,
    page_url,
    source_theme_url,
    url,
)

pytestmark = pytest.mark.django_db


# --- Themes --------------------------------------------------------------------------


def test_an_editor_adds_a_theme_to_a_source_by_alias(editor_client):
    source = SourceFactory()
    ai = ThemeFactory(name="artificial intelligence")
    ThemeAliasFactory(theme=ai, name="AI")

    response = editor_client.post(source_theme_url("theme_add", source), {"name": "ai"}, **HTMX)

    assert is_fragment(response)
    html = response.content.decode()
    assert f'<div class="item-themes" id="themes-sources-{source.pk}">' in html
    assert ">artificial intelligence</a>" in html
    assert "Added the theme “artificial intelligence” to the source" in html
    assert SourceTheme.objects.get(source=source).added_by.username == "erin"


def test_an_unknown_theme_is_refused_and_the_typing_kept(editor_client):
    signal = SignalFactory()

    response = editor_client.post(url("theme_add", "signals", signal.pk), {"name": "vibes"}, **HTMX)

    html = response.content.decode()
    assert 'role="alert">“vibes” is not an approved theme or alias' in html
    assert 'value="vibes"' in html and 'aria-invalid="true"' in html
    assert not signal.theme_links.exists()


def test_themes_without_javascript_redirect_back_with_a_message(editor_client):
    signal = SignalFactory()
    response = editor_client.post(
        url("theme_add", "signals", signal.pk), {"name": "vibes"}, follow=True
    )
    assert response.redirect_chain[0][0] == f"{page_url(signal.source)}#signals-{signal.pk}"
    assert any("not an approved theme" in message for message in flashed(response))


def test_an_editor_removes_a_theme_from_a_finding(editor_client, bob):
    signal = SignalFactory()
    theme = theme_link_add(item=signal, name=ThemeFactory(name="energy").name, user=bob)

    response = editor_client.post(url("theme_remove", "signals", signal.pk, theme.pk), **HTMX)

    assert is_fragment(response)
    assert "energy</a>" not in response.content.decode()
    assert not signal.theme_links.exists()
    response = editor_client.post(source_theme_url("theme_remove", signal.source, theme.pk))
    assert response.status_code == 302  # the source never had it: said, not crashed


def test_theme_suggestions_are_options_for_a_datalist(editor_client):
    ai = ThemeFactory(name="ai research")
    ThemeAliasFactory(theme=ai, name="AI tools")

    response = editor_client.get(url("theme_choices"), {"name": "ai"}, **HTMX)

    html = response.content.decode()
    assert '<option value="ai research"></option>' in html
    assert '<option value="AI tools" label="AI tools → ai research"></option>' in html


def test_theme_suggestions_read_the_explorer_field_too(reader_client):
    ThemeFactory(name="ai research")
    ThemeFactory(name="tidal power")

    response = reader_client.get(url("theme_choices"), {"theme": "tid"}, **HTMX)

    assert response.content.decode() == '<option value="tidal power"></option>\n'


# --- History -------------------------------------------------------------------------


def test_the_history_of_a_finding_loads_into_its_disclosure(editor_client, bob):
    signal = SignalFactory(relevancy=2)
    finding_update(finding=signal, values={"relevancy": 5}, expected_version=1, user=bob)

    fragment = editor_client.get(url("history", "signals", signal.pk), **HTMX)
    page = editor_client.get(url("history", "signals", signal.pk))

    assert is_fragment(fragment)
    html = fragment.content.decode()
    assert "<strong>Relevancy</strong> changed from <q>2</q> to <q>5</q>" in html
    assert "bob, <time" in html
    assert "<html" in page.content.decode() and "History of the signal" in page.content.decode()


def test_the_history_of_a_source_lists_theme_and_finding_changes(editor_client, bob):
    source = SourceFactory()
    theme_link_add(item=source, name=ThemeFactory(name="energy").name, user=bob)
    editor_client.post(url("create", "issues", source.pk), {"name": "Fog"})

    html = editor_client.get(source_theme_url("history", source), **HTMX).content.decode()

    assert "<strong>Themes</strong>: added <q>energy</q>" in html
    assert "<strong>Issues</strong>: added <q>Fog</q>" in html
    assert "erin, <time" in html and "bob, <time" in html


def test_an_item_without_history_says_so(editor_client):
    assert (
        "No changes recorded yet."
        in editor_client.get(url("history", "issues", IssueFactory().pk), **HTMX).content.decode()
    )
