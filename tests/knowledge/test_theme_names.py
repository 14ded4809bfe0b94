"""A theme name needs a word: the same rule for create, rename, alias and proposals."""

import pytest
from django.urls import reverse

from apps.knowledge.models import Theme, ThemeAlias, ThemeSuggestion
from apps.knowledge.themes import (
    ThemeError,
    theme_alias_add,
    theme_create,
    theme_rename,
    theme_suggest,
)
from tests.factories import SourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

NO_WORD = ["?!", " -- ", "…", "🚀"]
MESSAGE = "a theme name needs a letter or a digit"


@pytest.mark.parametrize("name", NO_WORD)
def test_create_refuses_a_name_without_a_letter_or_digit(editor, name):
    with pytest.raises(ThemeError, match=MESSAGE):
        theme_create(name=name, user=editor)
    assert not Theme.objects.exists()


@pytest.mark.parametrize("name", NO_WORD)
def test_rename_and_alias_refuse_it_too(editor, name):
    theme = ThemeFactory(name="energy")
    with pytest.raises(ThemeError, match=MESSAGE):
        theme_rename(theme, name=name, user=editor)
    with pytest.raises(ThemeError, match=MESSAGE):
        theme_alias_add(theme, name=name, user=editor)
    theme.refresh_from_db()
    assert theme.name == "energy"
    assert not ThemeAlias.objects.exists()


def test_an_alias_follows_the_length_rule_instead_of_being_cut(editor):
    theme = ThemeFactory(name="energy")
    with pytest.raises(ThemeError, match="at most 120 characters; this one has 121"):
        theme_alias_add(theme, name="e" * 121, user=editor)
    assert not ThemeAlias.objects.exists()


def test_names_in_any_script_and_digits_are_fine(editor):
    assert theme_create(name="生物学", user=editor).name == "生物学"
    assert theme_create(name="5G", user=editor).slug == "5g"


def test_a_classifier_cannot_propose_a_name_without_a_word():
    source = SourceFactory()
    assert theme_suggest("?!", source=source) is None
    assert not Theme.objects.exists()
    assert not ThemeSuggestion.objects.exists()


def test_the_index_form_says_why_and_keeps_the_typed_name(client, editor):
    client.force_login(editor)

    response = client.post(reverse("knowledge:theme_create"), {"name": "?!"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "a theme name needs a letter or a digit; &#x27;?!&#x27; has none" in html
    assert 'name="name" value="?!"' in html
    assert not Theme.objects.exists()
