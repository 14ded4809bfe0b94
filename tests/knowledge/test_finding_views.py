"""The findings on the source page for an editor, and relevancy set in one click.

Editing, adding and deleting: test_finding_edit_views.py; themes and history:
test_finding_theme_views.py.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.audit import history_for
from apps.knowledge.findings import finding_update
from apps.knowledge.models import FINDING_MODELS
from tests.accounts.factories import UserFactory
from tests.factories import (
    BehaviorFactory,
    IssueFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    TechnologyFactory,
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


# --- The source page as an editor ----------------------------------------------------


def test_an_editor_gets_the_curation_controls_on_the_source_page(editor_client):
    signal = SignalFactory(name="Heat pumps", relevancy=4)
    source = signal.source
    SourceThemeFactory(source=source, theme=ThemeFactory(name="energy"))

    html = editor_client.get(page_url(source)).content.decode()

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


def test_the_source_page_runs_the_same_queries_for_2_or_20_findings_as_an_editor(editor_client):
    def count_queries(source) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(page_url(source)).status_code == 200
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
    count_queries(small)  # the first request reads the content types Django then keeps
    assert count_queries(small) == count_queries(big)
    assert "Relevancy 5 of 5" in editor_client.get(page_url(big)).content.decode()


# --- Relevancy in one click ----------------------------------------------------------


def test_one_click_sets_the_relevancy_and_returns_the_row(editor_client):
    signal = SignalFactory(relevancy=2)

    response = editor_client.post(
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


def test_without_javascript_the_click_comes_back_to_the_row(editor_client):
    signal = SignalFactory(relevancy=2)

    response = editor_client.post(
        url("relevancy", "signals", signal.pk), {"relevancy": "", "version": 1}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{page_url(signal.source)}#signals-{signal.pk}"
    signal.refresh_from_db()
    assert signal.relevancy is None


def test_a_stale_click_shows_the_conflict_in_place_and_saves_nothing(editor_client, bob):
    signal = SignalFactory(relevancy=2)
    finding_update(finding=signal, values={"relevancy": 5}, expected_version=1, user=bob)

    response = editor_client.post(
        url("relevancy", "signals", signal.pk), {"relevancy": "1", "version": 1}, **HTMX
    )

    assert is_fragment(response)
    alert = re.search(r'<p class="conflict" role="alert">(.*?)</p>', response.content.decode())
    assert alert and "bob changed this signal" in alert[1]
    assert "relevancy is now 5" in alert[1] and "still want 1" in alert[1]
    assert 'aria-label="Relevancy 5 of 5" aria-pressed="true"' in response.content.decode()
    signal.refresh_from_db()
    assert signal.relevancy == 5


def test_a_stale_click_without_javascript_is_flashed(editor_client, bob):
    signal = SignalFactory(relevancy=2)
    finding_update(finding=signal, values={"relevancy": 5}, expected_version=1, user=bob)

    response = editor_client.post(
        url("relevancy", "signals", signal.pk), {"relevancy": "1", "version": 1}, follow=True
    )

    assert any("bob changed this signal" in message for message in flashed(response))


def test_a_forged_relevancy_is_refused_naming_the_field(editor_client):
    signal = SignalFactory(relevancy=2)

    response = editor_client.post(
        url("relevancy", "signals", signal.pk), {"relevancy": "9", "version": 1}, **HTMX
    )

    assert 'role="alert">Relevancy must be a whole number from 1 to 5' in response.content.decode()
    signal.refresh_from_db()
    assert signal.relevancy == 2


def test_an_unknown_kind_or_item_is_404(editor_client):
    assert editor_client.get("/findings/rumours/1/edit/").status_code == 404
    assert editor_client.get(url("edit", "signals", 999)).status_code == 404
    assert (
        editor_client.get(source_theme_url("history", SourceFactory.build(pk=999))).status_code
        == 404
    )


# --- A row that reads as text --------------------------------------------------------


def test_a_field_without_a_value_is_marked_empty_so_a_phone_shows_no_bare_label(reader_client):
    signal = SignalFactory(description="Members buy shares.", change="", ten_year="", relevancy=4)

    html = reader_client.get(page_url(signal.source)).content.decode()

    assert '<td data-label="Description">Members buy shares.</td>' in html
    assert '<td data-label="Change" class="cell-empty"></td>' in html
    assert '<td data-label="10-year outlook" class="cell-empty"></td>' in html


def test_an_editors_row_folds_its_actions_and_theme_editing(editor_client):
    signal = SignalFactory(name="Heat pumps")

    html = editor_client.get(page_url(signal.source)).content.decode()
    row = html[html.index(f'<tr id="signals-{signal.pk}">') :]
    row = row[: row.index("</tr>")]

    menu = row.index('<details class="row-menu">')
    assert 'Actions<span class="visually-hidden"> for Heat pumps</span>' in row
    assert row.index(f'id="edit-signals-{signal.pk}"') > menu  # Edit is inside the menu
    themes = row.index('<details class="theme-edit">')
    assert row.index('class="theme-add"') > themes  # the theme box is behind "Edit themes"


def test_a_theme_change_answers_with_edit_themes_still_open(editor_client):
    signal = SignalFactory()
    ThemeFactory(name="energy")

    add = url("theme_add", "signals", signal.pk)
    response = editor_client.post(add, {"name": "energy"}, **HTMX)

    assert '<details class="theme-edit" open>' in response.content.decode()


def test_an_empty_add_form_names_the_missing_name_instead_of_failing(editor_client):
    source = SourceFactory()

    response = editor_client.post(f"/findings/signals/add/{source.pk}/", {})

    assert response.status_code == 400
    assert "A name is required." in response.content.decode()
    assert not source.signals.exists()
