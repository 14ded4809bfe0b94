import pytest
from django.contrib.auth import get_user_model

from apps.core.models import Origin
from apps.knowledge.models import Signal, SignalTheme, Theme, ThemeAlias
from apps.knowledge.services import theme_for_name
from apps.knowledge.themes import (
    ThemeError,
    theme_accept,
    theme_alias_add,
    theme_merge,
    theme_reject,
    theme_rename,
    theme_suggest,
)
from apps.sources.models import Source, SourceTheme
from tests.factories import ThemeAliasFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("erin")


def make_source(n: int = 1) -> Source:
    return Source.objects.create(url=f"https://e.org/{n}", canonical_url=f"https://e.org/{n}")


def test_an_approved_name_or_alias_is_linked_at_once():
    ai = Theme.objects.create(name="artificial intelligence", slug="artificial-intelligence")
    ThemeAlias.objects.create(theme=ai, name="AI", key="ai")

    assert theme_suggest("Artificial-Intelligence", source=make_source()) == ai
    assert theme_suggest("ai", source=make_source(2)) == ai


def test_an_unknown_name_becomes_a_proposal_not_a_link():
    source = make_source()

    assert theme_suggest("Quantum Sensing", source=source) is None

    theme = Theme.objects.get(slug="quantum-sensing")
    assert theme.status == Theme.Status.PROPOSED
    assert theme.suggestions.get().source == source
    assert not SourceTheme.objects.exists()


def test_accepting_a_proposal_links_every_source_that_suggested_it(editor):
    first, second = make_source(1), make_source(2)
    theme_suggest("quantum sensing", source=first)
    theme_suggest("Quantum sensing", source=second)

    theme_accept(Theme.objects.get(slug="quantum-sensing"), user=editor)

    assert set(SourceTheme.objects.values_list("source", flat=True)) == {first.pk, second.pk}
    assert not Theme.objects.get(slug="quantum-sensing").suggestions.exists()


def test_a_rejected_name_is_never_proposed_or_linked_again(editor):
    theme_suggest("clickbait", source=make_source())
    theme_reject(Theme.objects.get(slug="clickbait"), user=editor)

    assert theme_suggest("Clickbait", source=make_source(2)) is None
    assert theme_for_name("clickbait") is None
    assert Theme.objects.get(slug="clickbait").suggestions.count() == 0


def test_renaming_keeps_the_old_name_as_an_alias(editor):
    theme = Theme.objects.create(name="llaama", slug="llaama")

    theme_rename(theme, name="LLaMA", user=editor)

    assert theme.slug == "llama"
    assert ThemeAlias.objects.get(key="llaama").theme == theme
    assert theme_for_name("llaama") == theme


def test_renaming_onto_an_existing_theme_is_refused(editor):
    Theme.objects.create(name="energy", slug="energy")
    theme = Theme.objects.create(name="enrgy", slug="enrgy")

    with pytest.raises(ThemeError, match="merge into it instead"):
        theme_rename(theme, name="Energy", user=editor)


def test_renaming_onto_a_rejected_theme_asks_for_another_name(editor):
    Theme.objects.create(name="hype", slug="hype", status=Theme.Status.REJECTED)
    theme = Theme.objects.create(name="hyype", slug="hyype")

    with pytest.raises(ThemeError, match="taken by the rejected theme 'hype'; choose another"):
        theme_rename(theme, name="Hype", user=editor)


def test_renaming_onto_another_themes_alias_names_that_theme(editor):
    energy = Theme.objects.create(name="energy", slug="energy")
    ThemeAliasFactory(theme=energy, name="power")
    theme = Theme.objects.create(name="powr", slug="powr")

    with pytest.raises(ThemeError, match="already the theme 'energy'; merge into it"):
        theme_rename(theme, name="Power", user=editor)


def test_merging_moves_every_link_and_keeps_the_name_as_an_alias(editor):
    source = make_source()
    signal = Signal.objects.create(source=source, name="s")
    old = Theme.objects.create(name="open-source", slug="open-source-x")
    into = Theme.objects.create(name="open source", slug="open-source")
    SourceTheme.objects.create(source=source, theme=old)
    SourceTheme.objects.create(source=source, theme=into, origin=Origin.EDITOR)
    SignalTheme.objects.create(signal=signal, theme=old)

    theme_merge(old, into=into, user=editor)

    old.refresh_from_db()
    assert (old.status, old.merged_into) == (Theme.Status.MERGED, into)
    assert list(SourceTheme.objects.values_list("theme", flat=True)) == [into.pk]
    assert list(SignalTheme.objects.values_list("theme", flat=True)) == [into.pk]
    assert ThemeAlias.objects.get(key="open-source-x").theme == into
    assert theme_for_name("open-source-x") == into


def test_a_theme_cannot_be_merged_into_itself_or_a_proposal(editor):
    theme = Theme.objects.create(name="a", slug="a")
    proposal = Theme.objects.create(name="b", slug="b", status=Theme.Status.PROPOSED)

    with pytest.raises(ThemeError, match="itself"):
        theme_merge(theme, into=theme, user=editor)
    with pytest.raises(ThemeError, match="not an approved theme"):
        theme_merge(theme, into=proposal, user=editor)


def test_an_alias_cannot_shadow_a_theme(editor):
    Theme.objects.create(name="energy", slug="energy")
    theme = Theme.objects.create(name="power", slug="power")

    with pytest.raises(ThemeError, match="already a theme or an alias"):
        theme_alias_add(theme, name="Energy", user=editor)


@pytest.mark.parametrize(
    ("stored", "named"),
    [("open source", "Open Sources"), ("smart city", "smart cities"), ("tax", "taxes")],
)
def test_a_plural_names_the_same_theme(stored, named):
    from apps.knowledge.vocabulary import name_key

    theme = Theme.objects.create(name=stored, slug=name_key(stored))

    assert theme_suggest(named, source=make_source()) == theme


def test_a_word_ending_in_ss_is_not_cut():
    Theme.objects.create(name="pro", slug="pro")

    assert theme_for_name("process") is not None
    assert Theme.objects.filter(slug="process").exists()
