"""The review queue at /review/: who may use it, what it lists, and its one-click actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.audit import history_for
from apps.core.models import Origin
from apps.knowledge.findings import finding_update
from apps.knowledge.models import Issue, Signal
from tests.accounts.factories import UserFactory
from tests.factories import IssueFactory, SignalFactory, SourceFactory
from tests.knowledge.finding_support import HTMX, flashed, is_fragment

pytestmark = pytest.mark.django_db

QUEUE = reverse("review:queue")


def machine(factory=SignalFactory, **values):
    return factory(**{"origin": Origin.AI, "confidence": 0.5, **values})


def action(name, finding, kind="signals"):
    return reverse(f"review:{name}", args=[kind, finding.pk])


@pytest.mark.parametrize("role", ["reader", "analyst"])
def test_only_editors_see_the_queue(client, role):
    client.force_login(UserFactory(role=role))
    finding = machine()

    assert client.get(QUEUE).status_code == 403
    assert client.post(action("accept", finding), {"version": 1}).status_code == 403
    assert client.post(action("delete", finding), {"confirmed": "yes"}).status_code == 403
    assert Signal.objects.get(pk=finding.pk).reviewed_at is None
    assert 'href="/review/"' not in client.get(reverse("dashboard")).content.decode()


def test_anonymous_visitors_log_in_first(client):
    response = client.get(QUEUE)

    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_queue_lists_unreviewed_machine_findings_least_sure_first(editor_client, editor):
    machine(name="Fairly sure", confidence=0.7, relevancy=2)
    machine(IssueFactory, name="A guess", confidence=0.1, relevancy=3)
    machine(name="Also a guess", confidence=0.1, relevancy=5)
    SignalFactory(name="An editor's own", origin=Origin.EDITOR)
    SignalFactory(name="Imported", origin=Origin.IMPORT)
    rated = machine(name="Rated already")
    finding_update(finding=rated, values={"relevancy": 4}, expected_version=1, user=editor)

    html = editor_client.get(QUEUE).content.decode()

    assert "3 findings to review" in html
    order = [html.index(name) for name in ("Also a guess", "A guess", "Fairly sure")]
    assert order == sorted(order)
    for name in ("An editor&#x27;s own", "Imported", "Rated already"):
        assert name not in html
    assert 'href="/review/" aria-current="page"' in html  # in the navigation, for editors

    by_relevancy = editor_client.get(QUEUE, {"sort": "relevancy"}).content.decode()
    assert by_relevancy.index("Also a guess") < by_relevancy.index("A guess")


def test_drafts_are_marked_and_can_be_listed_alone(editor_client, settings):
    settings.SPYGLASS_DRAFT_CONFIDENCE = 0.4
    machine(name="Shaky claim", confidence=0.2)
    machine(name="Solid claim", confidence=0.9)

    html = editor_client.get(QUEUE).content.decode()
    drafts = editor_client.get(QUEUE, {"drafts": "1"}).content.decode()

    assert html.count("Machine draft, not reviewed") == 1
    assert "Shaky claim" in drafts and "Solid claim" not in drafts


def test_accept_takes_the_finding_off_the_queue_in_one_click(editor_client, editor):
    finding = machine(name="Tidal storage", confidence=0.2)

    response = editor_client.post(action("accept", finding), {"version": 1}, **HTMX)

    assert is_fragment(response)
    assert 'id="review-signals-' not in response.content.decode()  # htmx removes the row
    assert flashed(response) == ["Accepted the signal “Tidal storage”."]
    finding.refresh_from_db()
    assert finding.reviewed_by == editor and finding.reviewed_at is not None
    assert finding.version == 2 and not finding.draft
    assert [(e.field, e.new, e.actor) for e in history_for(finding)] == [
        ("reviewed", "accepted", editor)
    ]
    assert "Tidal storage" not in editor_client.get(QUEUE).content.decode()


def test_accept_refuses_a_finding_changed_meanwhile(editor_client, bob):
    finding = machine(name="Tidal storage")
    finding_update(finding=finding, values={"description": "New."}, expected_version=1, user=bob)

    response = editor_client.post(action("accept", finding), {"version": 1}, **HTMX)

    html = response.content.decode()
    assert is_fragment(response) and 'role="alert"' in html
    assert "Not accepted: bob changed" in html
    assert f'name="version" value="{finding.version + 1}"' in html


def test_without_javascript_accept_comes_back_to_the_same_queue_page(editor_client):
    finding = machine()

    response = editor_client.post(
        action("accept", finding), {"version": 1, "next": "/review/?sort=relevancy"}
    )

    assert response.status_code == 302 and response.url == "/review/?sort=relevancy"
    hostile = editor_client.post(action("accept", machine()), {"version": 1, "next": "//evil"})
    assert hostile.url == QUEUE


def test_delete_removes_it_for_good(editor_client):
    source = SourceFactory()
    finding = machine(IssueFactory, source=source, name="Salt water")

    response = editor_client.post(
        action("delete", finding, "issues"), {"version": 1, "confirmed": "yes"}, **HTMX
    )

    assert is_fragment(response) and flashed(response) == ["Deleted the issue “Salt water”."]
    assert not Issue.objects.filter(pk=finding.pk).exists()
    source.refresh_from_db()
    assert "salt-water" in source.curated["findings_removed"]["issues"]


def test_without_javascript_delete_asks_first(editor_client):
    finding = machine(name="Salt water")

    page = editor_client.post(action("delete", finding), {"version": 1, "next": "javascript:x"})

    html = page.content.decode()
    assert page.status_code == 200 and "Delete the signal “Salt water”?" in html
    assert "javascript:x" not in html
    assert Signal.objects.filter(pk=finding.pk).exists()
    done = editor_client.post(action("delete", finding), {"version": 1, "confirmed": "yes"})
    assert done.url == QUEUE and not Signal.objects.filter(pk=finding.pk).exists()


def test_edit_opens_the_form_and_comes_back_to_the_queue_reviewed(editor_client):
    finding = machine(name="Tidal storage")
    html = editor_client.get(QUEUE).content.decode()
    edit = reverse("findings:edit", args=["signals", finding.pk]) + "?next=/review/"
    assert edit in html

    form = editor_client.get(edit).content.decode()
    assert 'name="next" value="/review/"' in form and "hx-post" not in form

    response = editor_client.post(
        edit, {"version": 1, "name": "Tidal energy storage", "next": "/review/"}
    )
    assert response.status_code == 302 and response.url == "/review/"
    finding.refresh_from_db()
    assert finding.name == "Tidal energy storage" and finding.reviewed_at is not None


def test_setting_the_relevancy_on_the_source_page_reviews_it(editor_client):
    finding = machine(relevancy=None)

    editor_client.post(
        reverse("findings:relevancy", args=["signals", finding.pk]),
        {"relevancy": "4", "version": 1},
    )

    finding.refresh_from_db()
    assert finding.relevancy == 4 and finding.reviewed_at is not None


def test_the_queue_costs_the_same_queries_whatever_its_length(editor_client):
    for n in range(3):
        machine(confidence=n / 10)
        machine(IssueFactory, confidence=n / 10)
    editor_client.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(QUEUE)
    for n in range(30):
        machine(confidence=n / 100)
        machine(IssueFactory, confidence=n / 100)
    with CaptureQueriesContext(connection) as many:
        html = editor_client.get(QUEUE).content.decode()

    assert html.count('class="result review-item"') == 25
    assert len(many) == len(few)
