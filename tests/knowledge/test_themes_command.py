"""`manage.py themes`: the proposed queue and editors' actions from a shell."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.knowledge.models import Theme, ThemeAlias, ThemeSuggestion
from apps.knowledge.themes import theme_suggest
from apps.sources.models import SourceTheme
from tests.factories import SourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("themes", *args, stdout=out)
    return out.getvalue()


def propose(name: str, count: int = 1) -> Theme:
    for _ in range(count):
        theme_suggest(name, source=SourceFactory())
    return Theme.objects.get(name=name)


def test_proposed_lists_proposals_with_their_suggestion_counts():
    propose("sea farming", 2)
    propose("drone delivery")
    ThemeFactory(name="energy")

    out = run("proposed")

    assert out.splitlines() == ["drone delivery (1 suggestion)", "sea farming (2 suggestions)"]


def test_proposed_says_when_the_queue_is_empty():
    assert run("proposed") == "No proposed themes.\n"


def test_accept_approves_and_links_the_suggesting_sources():
    theme = propose("sea farming", 2)

    assert "Accepted 'sea farming'" in run("accept", "Sea-Farming")

    theme.refresh_from_db()
    assert theme.status == Theme.Status.APPROVED
    assert SourceTheme.objects.filter(theme=theme).count() == 2
    assert not ThemeSuggestion.objects.exists()


def test_reject_remembers_the_name():
    theme = propose("sea farming")

    assert "will not be proposed again" in run("reject", "sea farming")

    theme.refresh_from_db()
    assert theme.status == Theme.Status.REJECTED
    assert theme_suggest("Sea farming", source=SourceFactory()) is None
    assert not ThemeSuggestion.objects.exists()


def test_rename_keeps_the_old_name_as_an_alias():
    theme = ThemeFactory(name="ebikes")

    assert "Renamed 'ebikes' to 'electric bikes'" in run("rename", "ebikes", "electric bikes")

    theme.refresh_from_db()
    assert theme.name == "electric bikes"
    assert ThemeAlias.objects.filter(theme=theme, name="ebikes").exists()


def test_merge_moves_links_and_leaves_an_alias():
    target = ThemeFactory(name="energy")
    proposal = propose("power storage")
    suggesting = proposal.suggestions.get().source

    assert "Merged 'power storage' into 'energy'" in run("merge", "power storage", "energy")

    proposal.refresh_from_db()
    assert proposal.status == Theme.Status.MERGED and proposal.merged_into == target
    assert SourceTheme.objects.filter(source=suggesting, theme=target).exists()
    assert ThemeAlias.objects.filter(theme=target, name="power storage").exists()


def test_alias_adds_an_alias_found_by_name_afterwards():
    theme = ThemeFactory(name="artificial intelligence")

    assert "'AI' is now an alias of 'artificial intelligence'" in run(
        "alias", "artificial intelligence", "AI"
    )
    # An alias names the theme in later commands too.
    run("rename", "ai", "machine intelligence")
    theme.refresh_from_db()
    assert theme.name == "machine intelligence"


@pytest.mark.parametrize(
    "args",
    [
        ("accept", "nowhere"),
        ("reject", "nowhere"),
        ("rename", "nowhere", "x"),
        ("merge", "nowhere", "energy"),
        ("alias", "nowhere", "x"),
    ],
)
def test_an_unknown_name_is_a_clear_error(args):
    ThemeFactory(name="energy")
    with pytest.raises(CommandError, match="There is no theme 'nowhere'"):
        run(*args)


def test_service_refusals_come_out_as_command_errors():
    ThemeFactory(name="energy")
    ThemeFactory(name="climate")

    with pytest.raises(CommandError, match="only proposed themes can be accepted"):
        run("accept", "energy")
    with pytest.raises(CommandError, match="merge into it instead"):
        run("rename", "energy", "climate")
    with pytest.raises(CommandError, match="cannot be merged into itself"):
        run("merge", "energy", "energy")
    with pytest.raises(CommandError, match="already a theme or an alias"):
        run("alias", "energy", "Climate")
