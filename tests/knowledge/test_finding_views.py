import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.audit import history_for
from apps.knowledge.findings import finding_update, theme_link_add
from apps.knowledge.models import FINDING_MODELS, Issue, Signal
from apps.sources.models import SourceTheme
from tests.accounts.factories import UserFactory
from tests.factories import (
    BehaviorFactory,
    IssueFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    TechnologyFactory,
    ThemeAliasFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
FACTORIES = {
    "signals": SignalFactory,
    "behaviors": BehaviorFactory,
    "technologies": TechnologyFactory,
    "issues": IssueFactory,
}


def url(name: str, *args) -> str:
    return reverse(f"findings:{name}", args=args)


def page_url(source) -> str:
    return reverse("sources:detail", args=[source.pk])


@pytest.fixture
def erin(client):
    """An editor."""
    client.force_login(UserFactory(username="erin", role="editor"))
    return client


@pytest.fixture
def bob():
    return UserFactory(username="bob", role="editor")


def is_fragment(response) -> bool:
    html = response.content.decode()
    return response.status_code == 200 and "<html" not in html and "<body" not in html


def flashed(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


# --- The source page as an editor ----------------------------------------------------


def test_an_editor_gets_the_curation_controls_on_the_source_page(erin):
    signal = SignalFactory(name="Heat pumps", relevancy=4)
    source = signal.source
    SourceThemeFactory(source=source, theme=ThemeFactory(name="energy"))

    html = erin.get(page_url(source)).content.decode()

    assert 'aria-label="Relevancy of Heat pumps"' in html
    assert html.count('aria-label="Relevancy 4 of 5" aria-pressed="true"') == 1
    assert 'aria-label="Relevancy 3 of 5" aria-pressed="false"' in html
    assert f'hx-post="{url("relevancy", "signals", signal.pk)}"' in html
    assert f'name="version" value="{signal.version}"' in html
    assert ">Edit<span" in html and ">Delete<span" in html
    assert 'hx-confirm="Delete the signal “Heat pumps”?' in html
    for kind in FINDING_MODELS:
        assert f'action="{url("create", kind, source.pk)}"' in html
    assert html.count('<details class="finding-add">') == 4  # folded until opened
    assert 'aria-label="Remove the theme energy"' in html
    assert f'id="theme-input-sources-{source.pk}"' in html
    assert f'id="theme-input-signals-{signal.pk}"' in html
    assert f'list="theme-choices-signals-{signal.pk}"' in html
    assert html.count("<summary>History") == 2
    assert "js/curation.js" in html


def test_a_finding_shows_its_themes_to_everyone(client):
    client.force_login(UserFactory(role="reader"))
    signal = SignalFactory()
    SignalThemeFactory(signal=signal, theme=ThemeFactory(name="energy"))

    html = client.get(page_url(signal.source)).content.decode()

    assert '<a class="chip" href="/themes/energy/">energy</a>' in html
    assert "<summary>History" in html


def test_the_source_page_runs_the_same_queries_for_2_or_20_findings_as_an_editor(erin):
    def count_queries(source) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert erin.get(page_url(source)).status_code == 200
        return len(queries)

    def source_with(findings: int):
        source = SourceFactory()
        for _ in range(findings):
            SourceThemeFactory(source=source)
            SignalThemeFactory(signal=SignalFactory(source=source))
            for factory in (BehaviorFactory, TechnologyFactory, IssueFactory):
                factory(source=source)
        return source

    small, big = source_with(2), source_with(20)
    assert count_queries(small) == count_queries(big)
    assert "Relevancy 5 of 5" in erin.get(page_url(big)).content.decode()


# --- Relevancy in one click ----------------------------------------------------------


def test_one_click_sets_the_relevancy_and_returns_the_row(erin):
    signal = SignalFactory(relevancy=2)

    response = erin.post(
        url("relevancy", "signals", signal.pk), {"relevancy": "4", "version": 1}, **HTMX
    )

    assert is_fragment(response)
    html = response.content.decode()
    assert (
        html.startswith(f'\n<tr id="signals-{signal.pk}">')
        or f'<tr id="signals-{signal.pk}">' in html
    )
    assert 'aria-label="Relevancy 4 of 5" aria-pressed="true"' in html
    assert 'name="version" value="2"' in html
    assert 'hx-swap-oob="true"' in html and "set to 4" in html
    [entry] = history_for(signal)
    assert (entry.field, entry.old, entry.new, entry.actor.username) == ("relevancy", 2, 4, "erin")


def test_without_javascript_the_click_comes_back_to_the_row(erin):
    signal = SignalFactory(relevancy=2)

    response = erin.post(url("relevancy", "signals", signal.pk), {"relevancy": "", "version": 1})

    assert response.status_code == 302
    assert response["Location"] == f"{page_url(signal.source)}#signals-{signal.pk}"
    signal.refresh_from_db()
    assert signal.relevancy is None


def test_a_stale_click_shows_the_conflict_in_place_and_saves_nothing(erin, bob):
    signal = SignalFactory(relevancy=2)
    finding_update(finding=signal, values={"relevancy": 5}, expected_version=1, user=bob)

    response = erin.post(
        url("relevancy", "signals", signal.pk), {"relevancy": "1", "version": 1}, **HTMX
    )

    assert is_fragment(response)
    alert = re.search(r'<p class="conflict" role="alert">(.*?)</p>', response.content.decode())
    assert alert and "bob changed this signal" in alert[1]
    assert "relevancy is now 5" in alert[1] and "still want 1" in alert[1]
    assert 'aria-label="Relevancy 5 of 5" aria-pressed="true"' in response.content.decode()
    signal.refresh_from_db()
    assert signal.relevancy == 5


def test_a_stale_click_without_javascript_is_flashed(erin, bob):
    signal = SignalFactory(relevancy=2)
    finding_update(finding=signal, values={"relevancy": 5}, expected_version=1, user=bob)

    response = erin.post(
        url("relevancy", "signals", signal.pk), {"relevancy": "1", "version": 1}, follow=True
    )

    assert any("bob changed this signal" in message for message in flashed(response))


def test_a_forged_relevancy_is_refused_naming_the_field(erin):
    signal = SignalFactory(relevancy=2)

    response = erin.post(
        url("relevancy", "signals", signal.pk), {"relevancy": "9", "version": 1}, **HTMX
    )

    assert 'role="alert">Relevancy must be a whole number from 1 to 5' in response.content.decode()
    signal.refresh_from_db()
    assert signal.relevancy == 2


# --- Editing every field -------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FINDING_MODELS))
def test_edit_swaps_the_row_for_a_form_with_every_field(kind, erin):
    finding = FACTORIES[kind](name="Heat pumps", relevancy=3)

    response = erin.get(url("edit", kind, finding.pk), **HTMX)

    assert is_fragment(response)
    html = response.content.decode()
    assert f'<tr id="{kind}-{finding.pk}" class="finding-editing">' in html
    for field in FINDING_MODELS[kind].EDITABLE_FIELDS:
        assert f'name="{field}"' in html
        assert f'id="edit-{kind}-{finding.pk}-{field}"' in html
    assert 'value="Heat pumps"' in html and '<option value="3" selected>' in html
    assert ">Save</button>" in html and "data-cancel-link>Cancel</a>" in html
    assert 'name="version" value="1"' in html


def test_without_javascript_edit_is_a_page(erin):
    signal = SignalFactory()
    response = erin.get(url("edit", "signals", signal.pk))
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert f'href="{page_url(signal.source)}#signals-{signal.pk}"' in response.content.decode()


def test_saving_every_field_returns_the_row(erin):
    signal = SignalFactory(relevancy=3)
    values = {
        "name": "Heat pumps",
        "description": "d",
        "change": "c",
        "ten_year": "t",
        "driving_force": "f",
        "relevancy": "5",
        "version": "1",
    }

    response = erin.post(url("edit", "signals", signal.pk), values, **HTMX)

    assert is_fragment(response)
    html = response.content.decode()
    assert '<th scope="row">Heat pumps</th>' in html
    assert '<td data-label="Driving force">f</td>' in html
    assert " autofocus>Edit" in html  # the focus goes back to where the editor was
    signal.refresh_from_db()
    assert (signal.ten_year, signal.relevancy, signal.version) == ("t", 5, 2)


def test_saving_without_javascript_redirects_to_the_row(erin):
    issue = IssueFactory()
    response = erin.post(url("edit", "issues", issue.pk), {"name": "Fog", "version": "1"})
    assert response["Location"] == f"{page_url(issue.source)}#issues-{issue.pk}"
    assert Issue.objects.get(pk=issue.pk).name == "Fog"


def test_bad_input_keeps_what_was_typed_and_names_the_fields(erin):
    signal = SignalFactory(name="Heat pumps")
    data = {"name": " ", "description": "my new text", "relevancy": "", "version": "1"}

    htmx = erin.post(url("edit", "signals", signal.pk), data, **HTMX)
    page = erin.post(url("edit", "signals", signal.pk), data)

    assert is_fragment(htmx)
    html = htmx.content.decode()
    assert "A name is required." in html and "my new text" in html
    assert 'aria-invalid="true"' in html
    assert page.status_code == 400 and "A name is required." in page.content.decode()
    signal.refresh_from_db()
    assert (signal.name, signal.version) == ("Heat pumps", 1)


def test_a_stale_edit_shows_who_changed_what_and_keeps_the_typing(erin, bob):
    signal = SignalFactory(name="Heat pumps", relevancy=2)
    finding_update(finding=signal, values={"relevancy": 4}, expected_version=1, user=bob)
    data = {"name": "Heat pumps", "description": "mine", "relevancy": "1", "version": "1"}

    response = erin.post(url("edit", "signals", signal.pk), data, **HTMX)

    assert is_fragment(response)
    html = response.content.decode()
    alert = html[html.index('role="alert"') : html.index("</div>", html.index('role="alert"'))]
    assert "bob changed this signal" in alert
    assert "<dt>Relevancy</dt><dd>4</dd>" in alert
    assert "<dt>Description</dt><dd>Why it matters.</dd>" in alert
    assert ">\nmine</textarea>" in html and '<option value="1" selected>' in html
    assert 'name="version" value="2"' in html  # saving again now replaces theirs, knowingly
    signal.refresh_from_db()
    assert (signal.relevancy, signal.description) == (4, "Why it matters.")
    assert erin.post(url("edit", "signals", signal.pk), data).status_code == 409


def test_cancel_brings_the_row_back(erin):
    signal = SignalFactory(name="Heat pumps")
    response = erin.get(url("row", "signals", signal.pk), **HTMX)
    assert is_fragment(response)
    assert '<th scope="row">Heat pumps' in response.content.decode()
    assert erin.get(url("row", "signals", signal.pk)).status_code == 302


# --- Adding and deleting -------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FINDING_MODELS))
def test_an_editor_adds_a_finding_of_each_kind(kind, erin):
    source = SourceFactory()
    response = erin.post(url("create", kind, source.pk), {"name": "Fog", "relevancy": "2"}, **HTMX)

    assert is_fragment(response)
    finding = FINDING_MODELS[kind].objects.get(source=source)
    html = response.content.decode()
    assert f'<section id="findings-{kind}"' in html
    assert f'<tr id="{kind}-{finding.pk}">' in html
    assert '<details class="finding-add">' in html  # the form is folded again
    assert (finding.name, finding.relevancy) == ("Fog", 2)


def test_adding_without_javascript_redirects_to_the_new_row(erin):
    source = SourceFactory()
    response = erin.post(url("create", "issues", source.pk), {"name": "Fog"})
    issue = source.issues.get()
    assert response["Location"] == f"{page_url(source)}#issues-{issue.pk}"


def test_adding_with_bad_input_keeps_the_form_open_with_the_typing(erin):
    source = SourceFactory()
    data = {"name": "", "description": "kept", "relevancy": "7"}

    response = erin.post(url("create", "signals", source.pk), data, **HTMX)

    html = response.content.decode()
    assert is_fragment(response)
    assert '<details class="finding-add" open>' in html
    assert "A name is required." in html and "Relevancy must be a whole number" in html
    assert ">\nkept</textarea>" in html
    assert not source.signals.exists()
    page = erin.post(url("create", "signals", source.pk), data)
    assert page.status_code == 400 and "<html" in page.content.decode()


def test_delete_asks_first_without_javascript(erin):
    signal = SignalFactory(name="Heat pumps")

    for response in (
        erin.get(url("delete", "signals", signal.pk)),
        erin.post(url("delete", "signals", signal.pk), {"version": "1"}),
    ):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Delete the signal “Heat pumps”?" in html
        assert 'name="confirmed" value="yes"' in html
    assert Signal.objects.filter(pk=signal.pk).exists()

    response = erin.post(url("delete", "signals", signal.pk), {"version": "1", "confirmed": "yes"})
    assert response["Location"] == f"{page_url(signal.source)}#findings-signals"
    assert not Signal.objects.filter(pk=signal.pk).exists()


def test_a_confirmed_delete_removes_the_row(erin):
    signal = SignalFactory(name="Heat pumps")
    data = {"version": "1", "confirmed": "yes"}

    response = erin.post(url("delete", "signals", signal.pk), data, **HTMX)

    assert is_fragment(response)
    html = response.content.decode()
    assert "<tr" not in html and "Deleted the signal “Heat pumps”" in html
    assert not Signal.objects.filter(pk=signal.pk).exists()


def test_a_stale_delete_is_refused_in_place(erin, bob):
    signal = SignalFactory()
    finding_update(finding=signal, values={"relevancy": 5}, expected_version=1, user=bob)

    response = erin.post(
        url("delete", "signals", signal.pk), {"version": "1", "confirmed": "yes"}, **HTMX
    )

    assert 'role="alert">Not deleted: bob changed this signal' in response.content.decode()
    assert Signal.objects.filter(pk=signal.pk).exists()


# --- Themes --------------------------------------------------------------------------


def source_theme_url(name: str, source, *args) -> str:
    return reverse(f"source_curation:{name}", args=[source.pk, *args])


def test_an_editor_adds_a_theme_to_a_source_by_alias(erin):
    source = SourceFactory()
    ai = ThemeFactory(name="artificial intelligence")
    ThemeAliasFactory(theme=ai, name="AI")

    response = erin.post(source_theme_url("theme_add", source), {"name": "ai"}, **HTMX)

    assert is_fragment(response)
    html = response.content.decode()
    assert f'<div class="item-themes" id="themes-sources-{source.pk}">' in html
    assert ">artificial intelligence</a>" in html
    assert "Added the theme “artificial intelligence” to the source" in html
    assert SourceTheme.objects.get(source=source).added_by.username == "erin"


def test_an_unknown_theme_is_refused_and_the_typing_kept(erin):
    signal = SignalFactory()

    response = erin.post(url("theme_add", "signals", signal.pk), {"name": "vibes"}, **HTMX)

    html = response.content.decode()
    assert 'role="alert">“vibes” is not an approved theme or alias' in html
    assert 'value="vibes"' in html and 'aria-invalid="true"' in html
    assert not signal.theme_links.exists()


def test_themes_without_javascript_redirect_back_with_a_message(erin):
    signal = SignalFactory()
    response = erin.post(url("theme_add", "signals", signal.pk), {"name": "vibes"}, follow=True)
    assert response.redirect_chain[0][0] == f"{page_url(signal.source)}#signals-{signal.pk}"
    assert any("not an approved theme" in message for message in flashed(response))


def test_an_editor_removes_a_theme_from_a_finding(erin, bob):
    signal = SignalFactory()
    theme = theme_link_add(item=signal, name=ThemeFactory(name="energy").name, user=bob)

    response = erin.post(url("theme_remove", "signals", signal.pk, theme.pk), **HTMX)

    assert is_fragment(response)
    assert "energy</a>" not in response.content.decode()
    assert not signal.theme_links.exists()
    response = erin.post(source_theme_url("theme_remove", signal.source, theme.pk))
    assert response.status_code == 302  # the source never had it: said, not crashed


def test_theme_suggestions_are_options_for_a_datalist(erin):
    ai = ThemeFactory(name="ai research")
    ThemeAliasFactory(theme=ai, name="AI tools")

    response = erin.get(url("theme_choices"), {"name": "ai"}, **HTMX)

    html = response.content.decode()
    assert '<option value="ai research"></option>' in html
    assert '<option value="AI tools" label="AI tools → ai research"></option>' in html


# --- History -------------------------------------------------------------------------


def test_the_history_of_a_finding_loads_into_its_disclosure(erin, bob):
    signal = SignalFactory(relevancy=2)
    finding_update(finding=signal, values={"relevancy": 5}, expected_version=1, user=bob)

    fragment = erin.get(url("history", "signals", signal.pk), **HTMX)
    page = erin.get(url("history", "signals", signal.pk))

    assert is_fragment(fragment)
    html = fragment.content.decode()
    assert "<strong>Relevancy</strong> changed from <q>2</q> to <q>5</q>" in html
    assert "bob, <time" in html
    assert "<html" in page.content.decode() and "History of the signal" in page.content.decode()


def test_the_history_of_a_source_lists_theme_and_finding_changes(erin, bob):
    source = SourceFactory()
    theme_link_add(item=source, name=ThemeFactory(name="energy").name, user=bob)
    erin.post(url("create", "issues", source.pk), {"name": "Fog"})

    html = erin.get(source_theme_url("history", source), **HTMX).content.decode()

    assert "<strong>Themes</strong>: added <q>energy</q>" in html
    assert "<strong>Issues</strong>: added <q>Fog</q>" in html
    assert "erin, <time" in html and "bob, <time" in html


def test_an_item_without_history_says_so(erin):
    assert (
        "No changes recorded yet."
        in erin.get(url("history", "issues", IssueFactory().pk), **HTMX).content.decode()
    )


def test_an_unknown_kind_or_item_is_404(erin):
    assert erin.get("/findings/rumours/1/edit/").status_code == 404
    assert erin.get(url("edit", "signals", 999)).status_code == 404
    assert erin.get(source_theme_url("history", SourceFactory.build(pk=999))).status_code == 404
