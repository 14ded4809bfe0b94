import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.knowledge.models import SignalTheme, Theme, ThemeAlias, ThemeSuggestion
from apps.sources.models import SourceTheme
from tests.accounts.factories import UserFactory
from tests.factories import (
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeAliasFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

PROPOSED = reverse("knowledge:theme_proposed")
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, *args) -> str:
    return reverse(f"knowledge:{name}", args=args)


def login(client, role: str):
    client.force_login(UserFactory(role=role))
    return client


def proposal(name: str, *sources) -> Theme:
    theme = ThemeFactory(name=name, status=Theme.Status.PROPOSED)
    for source in sources:
        ThemeSuggestion.objects.create(theme=theme, source=source, name=name)
    return theme


def flashed(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def all_actions(theme: Theme, alias: ThemeAlias) -> list[tuple[str, dict]]:
    return [
        (url("theme_accept", theme.pk), {}),
        (url("theme_reject", theme.pk), {}),
        (url("theme_rename", theme.pk), {"name": "new name"}),
        (url("theme_merge", theme.pk), {"into": "target"}),
        (url("theme_alias_add", theme.pk), {"name": "another"}),
        (url("theme_alias_remove", theme.pk, alias.pk), {}),
    ]


# --- Who may do what ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["reader", "analyst"])
def test_readers_and_analysts_are_refused_every_action(client, role):
    login(client, role)
    ThemeFactory(name="target")
    theme = proposal("quantum sensing", SourceFactory())
    alias = ThemeAliasFactory(theme=theme, name="qs", key="qs")

    for action, data in all_actions(theme, alias):
        assert client.post(action, data).status_code == 403, action
    assert client.get(PROPOSED).status_code == 403

    theme.refresh_from_db()
    assert (theme.name, theme.status) == ("quantum sensing", Theme.Status.PROPOSED)
    assert ThemeAlias.objects.filter(pk=alias.pk).exists()


@pytest.mark.parametrize("role", ["reader", "analyst"])
def test_readers_and_analysts_see_no_controls(client, role):
    login(client, role)
    theme = ThemeFactory(name="llama")
    proposal("quantum sensing")

    page = client.get(theme.get_absolute_url()).content.decode()
    index = client.get(url("theme_index")).content.decode()

    assert "Curate this theme" not in page
    assert url("theme_rename", theme.pk) not in page
    assert PROPOSED not in index


def test_anonymous_visitors_are_sent_to_login(client):
    theme = proposal("quantum sensing")
    alias = ThemeAliasFactory(theme=theme, name="qs", key="qs")

    for action, data in [*all_actions(theme, alias), (PROPOSED, None)]:
        response = client.post(action, data) if data is not None else client.get(action)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert Theme.objects.get(pk=theme.pk).status == Theme.Status.PROPOSED


def test_actions_take_post_only(editor_client):
    theme = ThemeFactory()
    assert editor_client.get(url("theme_rename", theme.pk)).status_code == 405


def test_editors_see_the_controls_and_the_queue_link(editor_client):
    theme = ThemeFactory(name="llama")
    ThemeFactory(name="open source")
    proposal("quantum sensing")
    proposal("neuromorphic chips")

    page = editor_client.get(theme.get_absolute_url()).content.decode()
    index = editor_client.get(url("theme_index")).content.decode()

    assert "Curate this theme" in page
    assert f'action="{url("theme_rename", theme.pk)}"' in page
    assert '<option value="open source">' in page
    assert f'href="{PROPOSED}"' in index
    assert "waiting for a decision: 2" in index


# --- The theme page ---------------------------------------------------------------------


def test_renaming_keeps_the_old_slug_leading_to_the_theme(editor_client):
    theme = ThemeFactory(name="llaama")

    response = editor_client.post(url("theme_rename", theme.pk), {"name": "Llama"}, follow=True)

    theme.refresh_from_db()
    assert (theme.name, theme.slug) == ("Llama", "llama")
    assert response.redirect_chain[-1][0] == theme.get_absolute_url()
    assert "Renamed “llaama” to “Llama”." in flashed(response)
    old = editor_client.get(url("theme", "llaama"))
    assert old.status_code == 301
    assert old.url == theme.get_absolute_url()


def test_renaming_over_another_theme_says_why_and_changes_nothing(editor_client):
    ThemeFactory(name="llama")
    theme = ThemeFactory(name="llaama")

    response = editor_client.post(url("theme_rename", theme.pk), {"name": "LLAMA"}, follow=True)

    theme.refresh_from_db()
    assert theme.name == "llaama"
    assert "'LLAMA' is already the theme 'llama'; merge into it instead" in flashed(response)
    assert not ThemeAlias.objects.exists()


def test_an_empty_name_is_refused(editor_client):
    theme = ThemeFactory(name="llama")
    response = editor_client.post(url("theme_rename", theme.pk), {"name": " "}, follow=True)
    assert Theme.objects.get(pk=theme.pk).name == "llama"
    assert "Name: This field is required." in flashed(response)


def test_adding_and_removing_an_alias(editor_client):
    theme = ThemeFactory(name="artificial intelligence")

    response = editor_client.post(url("theme_alias_add", theme.pk), {"name": "AI"}, follow=True)

    alias = ThemeAlias.objects.get()
    assert (alias.theme, alias.key) == (theme, "ai")
    assert "“AI” now leads to “artificial intelligence”." in flashed(response)
    assert editor_client.get(url("theme", "ai")).url == theme.get_absolute_url()

    response = editor_client.post(url("theme_alias_remove", theme.pk, alias.pk), follow=True)

    assert not ThemeAlias.objects.exists()
    assert "Removed the alias “AI”." in flashed(response)
    assert editor_client.get(url("theme", "ai")).status_code == 404


def test_an_alias_that_is_taken_is_refused(editor_client):
    ThemeFactory(name="machine learning")
    theme = ThemeFactory(name="artificial intelligence")
    response = editor_client.post(
        url("theme_alias_add", theme.pk), {"name": "Machine-Learning"}, follow=True
    )
    assert not ThemeAlias.objects.exists()
    assert "'Machine-Learning' is already a theme or an alias" in flashed(response)


def test_an_alias_is_removed_only_through_its_own_theme(editor_client):
    theme, other = ThemeFactory(), ThemeFactory()
    alias = ThemeAliasFactory(theme=other, name="x", key="x")
    assert editor_client.post(url("theme_alias_remove", theme.pk, alias.pk)).status_code == 404
    assert ThemeAlias.objects.filter(pk=alias.pk).exists()


def test_merging_moves_the_links_and_the_old_url_redirects(editor_client):
    target = ThemeFactory(name="llama")
    theme = ThemeFactory(name="llaama")
    source = SourceFactory()
    SourceThemeFactory(source=source, theme=theme)
    signal = SignalFactory(source=source)
    SignalThemeFactory(signal=signal, theme=theme)

    response = editor_client.post(
        url("theme_merge", theme.pk), {"into": "LLAMA", "confirmed": "yes"}, follow=True
    )

    assert response.redirect_chain == [(target.get_absolute_url(), 302)]
    assert "Merged “llaama” into “llama”; “llaama” now leads there." in flashed(response)
    assert SourceTheme.objects.get().theme == target
    assert SignalTheme.objects.get().theme == target
    theme.refresh_from_db()
    assert (theme.status, theme.merged_into) == (Theme.Status.MERGED, target)
    old = editor_client.get(url("theme", "llaama"))
    assert (old.status_code, old.url) == (301, target.get_absolute_url())


def test_merging_into_an_alias_finds_its_theme(editor_client):
    target = ThemeFactory(name="artificial intelligence")
    ThemeAliasFactory(theme=target, name="AI", key="ai")
    theme = ThemeFactory(name="machine intelligence")
    editor_client.post(url("theme_merge", theme.pk), {"into": "ai", "confirmed": "yes"})
    assert Theme.objects.get(pk=theme.pk).merged_into == target


@pytest.mark.parametrize(
    ("into", "message"),
    [
        ("nothing like it", "Merge into: no theme is named “nothing like it”"),
        ("llaama", "a theme cannot be merged into itself"),
        ("quantum sensing", "'quantum sensing' is not an approved theme"),
    ],
)
def test_a_merge_that_cannot_be_done_says_why_and_changes_nothing(editor_client, into, message):
    theme = ThemeFactory(name="llaama")
    SourceThemeFactory(theme=theme)
    proposal("quantum sensing")

    response = editor_client.post(
        url("theme_merge", theme.pk), {"into": into, "confirmed": "yes"}, follow=True
    )

    assert response.redirect_chain == [(theme.get_absolute_url(), 302)]
    assert message in flashed(response)
    theme.refresh_from_db()
    assert theme.status == Theme.Status.APPROVED
    assert SourceTheme.objects.get().theme == theme


def test_settled_themes_take_no_action(editor_client):
    merged = ThemeFactory(status=Theme.Status.MERGED, merged_into=ThemeFactory())
    rejected = ThemeFactory(status=Theme.Status.REJECTED)
    for theme in (merged, rejected):
        assert editor_client.post(url("theme_rename", theme.pk), {"name": "x"}).status_code == 404


def test_htmx_actions_on_the_theme_page_answer_with_its_header(editor_client):
    theme = ThemeFactory(name="llaama")

    response = editor_client.post(url("theme_rename", theme.pk), {"name": "llama"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="theme-header"' in html
    assert "<h1>llama" in html
    assert 'id="messages"' in html and 'hx-swap-oob="true"' in html
    assert "Renamed “llaama” to “llama”." in html
    assert response["HX-Push-Url"] == url("theme", "llama")


def test_an_htmx_error_answers_with_the_header_and_the_message(editor_client):
    theme = ThemeFactory(name="llama")
    response = editor_client.post(url("theme_alias_add", theme.pk), {"name": "Llama"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert "&#x27;Llama&#x27; is already a theme or an alias" in html


def test_an_htmx_merge_sends_the_browser_to_the_target(editor_client):
    target = ThemeFactory(name="llama")
    theme = ThemeFactory(name="llaama")
    merge = url("theme_merge", theme.pk)
    response = editor_client.post(merge, {"into": "llama", "confirmed": "yes"}, **HTMX)
    assert response["HX-Redirect"] == target.get_absolute_url()


def test_a_proposed_theme_can_be_decided_on_its_own_page(editor_client):
    theme = proposal("quantum sensing", SourceFactory())
    page = editor_client.get(theme.get_absolute_url()).content.decode()
    assert f'action="{url("theme_accept", theme.pk)}"' in page
    editor_client.post(url("theme_accept", theme.pk))
    assert Theme.objects.get(pk=theme.pk).status == Theme.Status.APPROVED


# --- The proposed-themes queue ------------------------------------------------------------


def test_the_queue_shows_each_proposal_with_its_suggesting_sources(editor_client):
    sources = [SourceFactory(title=f"Paper {n}") for n in range(5)]
    proposal("quantum sensing", *sources)
    proposal("neuromorphic chips", SourceFactory(title="Chip news"))
    ThemeFactory(name="llama")

    response = editor_client.get(PROPOSED)

    html = response.content.decode()
    assert response.status_code == 200
    assert "5 suggestions" in html and "1 suggestion<" in html
    assert html.index("quantum sensing") < html.index("neuromorphic chips")
    assert sum(f"Paper {n}<" in html for n in range(5)) == 3
    assert "and others" in html
    assert '<option value="llama">' in html


def test_the_empty_queue_says_so(editor_client):
    assert "Nothing to decide" in editor_client.get(PROPOSED).content.decode()


def queue_post(client, action: str, data: dict | None = None, **extra):
    return client.post(action, {"back": "queue", "page": "1", **(data or {})}, **extra)


def test_accepting_from_the_queue_links_the_suggesting_sources(editor_client):
    first, second = SourceFactory(), SourceFactory()
    theme = proposal("quantum sensing", first, second)

    response = queue_post(editor_client, url("theme_accept", theme.pk))

    assert response.status_code == 302
    assert response.url == f"{PROPOSED}?page=1"
    theme.refresh_from_db()
    assert theme.status == Theme.Status.APPROVED
    linked = SourceTheme.objects.filter(theme=theme).values_list("source", flat=True)
    assert set(linked) == {first.pk, second.pk}
    assert not ThemeSuggestion.objects.exists()


def test_rejecting_from_the_queue_marks_it_rejected(editor_client):
    theme = proposal("quantum sensing", SourceFactory())
    queue_post(editor_client, url("theme_reject", theme.pk))
    theme.refresh_from_db()
    assert theme.status == Theme.Status.REJECTED
    assert not SourceTheme.objects.exists()


def test_merging_from_the_queue_links_the_sources_to_the_target(editor_client):
    target = ThemeFactory(name="quantum sensors")
    source = SourceFactory()
    theme = proposal("quantum sensing", source)

    response = queue_post(
        editor_client, url("theme_merge", theme.pk), {"into": "quantum sensors", "confirmed": "yes"}
    )

    assert response.url == f"{PROPOSED}?page=1"
    assert SourceTheme.objects.get().theme == target
    assert Theme.objects.get(pk=theme.pk).merged_into == target


def test_renaming_from_the_queue_keeps_it_proposed(editor_client):
    theme = proposal("quantum-sensing stuff")
    queue_post(editor_client, url("theme_rename", theme.pk), {"name": "quantum sensing"})
    theme.refresh_from_db()
    assert (theme.name, theme.status) == ("quantum sensing", Theme.Status.PROPOSED)


def test_accepting_twice_says_why_the_second_time(editor_client):
    theme = proposal("quantum sensing")
    queue_post(editor_client, url("theme_accept", theme.pk))
    response = editor_client.get(PROPOSED)  # drain the first message
    response = queue_post(editor_client, url("theme_accept", theme.pk))
    response = editor_client.get(response.url)
    assert "'quantum sensing' is approved; only proposed themes can be accepted" in flashed(
        response
    )


def test_htmx_actions_on_the_queue_answer_with_the_queue(editor_client):
    theme = proposal("quantum sensing", SourceFactory())
    proposal("neuromorphic chips")

    response = queue_post(editor_client, url("theme_reject", theme.pk), **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert 'id="proposed"' in html
    assert "neuromorphic chips" in html and "quantum sensing</a>" not in html
    assert "Rejected “quantum sensing”" in html


def test_the_queue_costs_the_same_queries_for_3_or_20_proposals(editor_client):
    def count_queries(proposals: int) -> int:
        Theme.objects.all().delete()
        for n in range(proposals):
            proposal(f"proposal {n}", *(SourceFactory() for _ in range(4)))
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(PROPOSED).status_code == 200
        return len(queries)

    assert count_queries(3) == count_queries(20)
