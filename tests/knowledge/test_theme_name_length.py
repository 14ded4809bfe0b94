"""A theme name over the limit is refused with the limit named wherever a person types one;
only a machine's name is shortened, and then at a word boundary."""

import pytest
from django.urls import reverse

from apps.knowledge.models import Theme, ThemeAlias, ThemeSuggestion
from apps.knowledge.services import theme_for_name
from apps.knowledge.themes import theme_suggest
from apps.knowledge.vocabulary import shorten
from tests.factories import SignalFactory, SourceFactory, ThemeFactory
from tests.knowledge.finding_support import HTMX, url

pytestmark = pytest.mark.django_db

# 140 characters: what an editor pasted from a report's heading.
LONG = (
    "Regulatory, economic and social consequences of autonomous freight corridors for "
    "coastal ports and their labour markets: implications of the"
)
REFUSAL = f"Theme names can be at most 120 characters; this one has {len(LONG)}."


def test_the_long_name_is_really_over_the_limit():
    assert len(LONG) == 140


def test_creating_on_the_index_refuses_it_keeps_the_typing_and_creates_nothing(editor_client):
    response = editor_client.post(reverse("knowledge:theme_create"), {"name": LONG})

    html = response.content.decode()
    assert REFUSAL in html
    assert f'value="{LONG}"' in html  # all of it, for the editor to shorten
    assert not Theme.objects.exists()


def test_no_theme_name_box_cuts_silently_with_a_maxlength(editor_client):
    theme = ThemeFactory(name="energy")
    source = SourceFactory()
    SignalFactory(source=source)
    pages = [
        reverse("knowledge:theme_index"),
        theme.get_absolute_url(),
        reverse("knowledge:theme_proposed"),
        source.get_absolute_url(),
    ]
    for page in pages:
        assert 'maxlength="120"' not in editor_client.get(page).content.decode(), page


def test_renaming_and_aliasing_refuse_it(editor_client):
    theme = ThemeFactory(name="energy")
    for action in ("theme_rename", "theme_alias_add"):
        response = editor_client.post(
            reverse(f"knowledge:{action}", args=[theme.pk]), {"name": LONG}, follow=True
        )
        assert REFUSAL in response.content.decode(), action
    theme.refresh_from_db()
    assert theme.name == "energy"
    assert not ThemeAlias.objects.exists()


def test_the_add_theme_box_of_a_finding_refuses_it_with_the_limit(editor_client):
    signal = SignalFactory()
    response = editor_client.post(url("theme_add", "signals", signal.pk), {"name": LONG}, **HTMX)
    html = response.content.decode()
    assert f'role="alert">{REFUSAL}' in html
    assert not signal.theme_links.exists()


def test_a_machine_name_is_shortened_at_a_word_and_not_left_dangling():
    theme = theme_for_name(LONG)
    assert theme.name == (
        "Regulatory, economic and social consequences of autonomous freight corridors for "
        "coastal ports and their labour markets"
    )
    assert len(theme.name) <= 120
    assert theme_for_name(LONG) == theme  # the same long name finds the same theme


def test_a_classifier_proposal_keeps_a_sane_shortened_name():
    source = SourceFactory()
    assert theme_suggest(LONG, source=source) is None  # proposed, not linked
    suggestion = ThemeSuggestion.objects.get()
    assert suggestion.name.endswith("labour markets")


@pytest.mark.parametrize(
    ("name", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("implications of the future", 20, "implications"),
        ("supercalifragilistic", 5, "super"),
        ("ports, labour and the sea", 17, "ports, labour"),
    ],
)
def test_shorten(name, limit, expected):
    assert shorten(name, limit) == expected
