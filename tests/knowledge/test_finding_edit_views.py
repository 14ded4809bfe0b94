"""Editing every field of a finding in place, adding and deleting findings."""

import pytest

from apps.knowledge.findings import finding_update
from apps.knowledge.models import FINDING_MODELS, Issue, Signal
from tests.factories import IssueFactory, SignalFactory, SourceFactory
from tests.knowledge.finding_support import FACTORIES, HTMX, is_fragment, page_url, url

pytestmark = pytest.mark.django_db


# --- Editing every field -------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FINDING_MODELS))
def test_edit_swaps_the_row_for_a_form_with_every_field(kind, editor_client):
    finding = FACTORIES[kind](name="Heat pumps", relevancy=3)

    response = editor_client.get(url("edit", kind, finding.pk), **HTMX)

    assert is_fragment(response)
    html = response.content.decode()
    assert f'<tr id="{kind}-{finding.pk}" class="finding-editing">' in html
    for field in FINDING_MODELS[kind].EDITABLE_FIELDS:
        assert f'name="{field}"' in html
        assert f'id="edit-{kind}-{finding.pk}-{field}"' in html
    assert 'value="Heat pumps"' in html and '<option value="3" selected>' in html
    assert ">Save</button>" in html and "data-cancel-link>Cancel</a>" in html
    assert 'name="version" value="1"' in html


def test_without_javascript_edit_is_a_page(editor_client):
    signal = SignalFactory()
    response = editor_client.get(url("edit", "signals", signal.pk))
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert f'href="{page_url(signal.source)}#signals-{signal.pk}"' in response.content.decode()


def test_saving_every_field_returns_the_row(editor_client):
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

    response = editor_client.post(url("edit", "signals", signal.pk), values, **HTMX)

    assert is_fragment(response)
    html = response.content.decode()
    assert '<th scope="row">Heat pumps</th>' in html
    assert '<td data-label="Driving force">f</td>' in html
    assert " autofocus>Edit" in html  # the focus goes back to where the editor was
    signal.refresh_from_db()
    assert (signal.ten_year, signal.relevancy, signal.version) == ("t", 5, 2)


def test_saving_without_javascript_redirects_to_the_row(editor_client):
    issue = IssueFactory()
    response = editor_client.post(url("edit", "issues", issue.pk), {"name": "Fog", "version": "1"})
    assert response["Location"] == f"{page_url(issue.source)}#issues-{issue.pk}"
    assert Issue.objects.get(pk=issue.pk).name == "Fog"


def test_bad_input_keeps_what_was_typed_and_names_the_fields(editor_client):
    signal = SignalFactory(name="Heat pumps")
    data = {"name": " ", "description": "my new text", "relevancy": "", "version": "1"}

    htmx = editor_client.post(url("edit", "signals", signal.pk), data, **HTMX)
    page = editor_client.post(url("edit", "signals", signal.pk), data)

    assert is_fragment(htmx)
    html = htmx.content.decode()
    assert "A name is required." in html and "my new text" in html
    assert 'aria-invalid="true"' in html
    assert page.status_code == 400 and "A name is required." in page.content.decode()
    signal.refresh_from_db()
    assert (signal.name, signal.version) == ("Heat pumps", 1)


def test_a_stale_edit_shows_who_changed_what_and_keeps_the_typing(editor_client, bob):
    signal = SignalFactory(name="Heat pumps", relevancy=2)
    finding_update(finding=signal, values={"relevancy": 4}, expected_version=1, user=bob)
    data = {"name": "Heat pumps", "description": "mine", "relevancy": "1", "version": "1"}

    response = editor_client.post(url("edit", "signals", signal.pk), data, **HTMX)

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
    assert editor_client.post(url("edit", "signals", signal.pk), data).status_code == 409


def test_cancel_brings_the_row_back(editor_client):
    signal = SignalFactory(name="Heat pumps")
    response = editor_client.get(url("row", "signals", signal.pk), **HTMX)
    assert is_fragment(response)
    assert '<th scope="row">Heat pumps' in response.content.decode()
    assert editor_client.get(url("row", "signals", signal.pk)).status_code == 302


# --- Adding and deleting -------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FINDING_MODELS))
def test_an_editor_adds_a_finding_of_each_kind(kind, editor_client):
    source = SourceFactory()
    response = editor_client.post(
        url("create", kind, source.pk), {"name": "Fog", "relevancy": "2"}, **HTMX
    )

    assert is_fragment(response)
    finding = FINDING_MODELS[kind].objects.get(source=source)
    html = response.content.decode()
    assert f'<section id="findings-{kind}"' in html
    assert f'<tr id="{kind}-{finding.pk}">' in html
    assert '<details class="finding-add">' in html  # the form is folded again
    assert (finding.name, finding.relevancy) == ("Fog", 2)


def test_adding_without_javascript_redirects_to_the_new_row(editor_client):
    source = SourceFactory()
    response = editor_client.post(url("create", "issues", source.pk), {"name": "Fog"})
    issue = source.issues.get()
    assert response["Location"] == f"{page_url(source)}#issues-{issue.pk}"


def test_adding_with_bad_input_keeps_the_form_open_with_the_typing(editor_client):
    source = SourceFactory()
    data = {"name": "", "description": "kept", "relevancy": "7"}

    response = editor_client.post(url("create", "signals", source.pk), data, **HTMX)

    html = response.content.decode()
    assert is_fragment(response)
    assert '<details class="finding-add" open>' in html
    assert "A name is required." in html and "Relevancy must be a whole number" in html
    assert ">\nkept</textarea>" in html
    assert not source.signals.exists()
    page = editor_client.post(url("create", "signals", source.pk), data)
    assert page.status_code == 400 and "<html" in page.content.decode()


def test_delete_asks_first_without_javascript(editor_client):
    signal = SignalFactory(name="Heat pumps")

    for response in (
        editor_client.get(url("delete", "signals", signal.pk)),
        editor_client.post(url("delete", "signals", signal.pk), {"version": "1"}),
    ):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Delete the signal “Heat pumps”?" in html
        assert 'name="confirmed" value="yes"' in html
    assert Signal.objects.filter(pk=signal.pk).exists()

    response = editor_client.post(
        url("delete", "signals", signal.pk), {"version": "1", "confirmed": "yes"}
    )
    assert response["Location"] == f"{page_url(signal.source)}#findings-signals"
    assert not Signal.objects.filter(pk=signal.pk).exists()


def test_a_confirmed_delete_removes_the_row(editor_client):
    signal = SignalFactory(name="Heat pumps")
    data = {"version": "1", "confirmed": "yes"}

    response = editor_client.post(url("delete", "signals", signal.pk), data, **HTMX)

    assert is_fragment(response)
    html = response.content.decode()
    assert "<tr" not in html and "Deleted the signal “Heat pumps”" in html
    assert not Signal.objects.filter(pk=signal.pk).exists()


def test_a_stale_delete_is_refused_in_place(editor_client, bob):
    signal = SignalFactory()
    finding_update(finding=signal, values={"relevancy": 5}, expected_version=1, user=bob)

    response = editor_client.post(
        url("delete", "signals", signal.pk), {"version": "1", "confirmed": "yes"}, **HTMX
    )

    assert 'role="alert">Not deleted: bob changed this signal' in response.content.decode()
    assert Signal.objects.filter(pk=signal.pk).exists()
