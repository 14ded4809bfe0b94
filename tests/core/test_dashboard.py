"""The dashboard at /: counts, newest sources, pipeline states, active themes, high signals."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.dashboard import (
    active_themes,
    counts,
    failed_recently,
    high_signals,
    newest_sources,
)
from apps.knowledge.models import IssueTheme
from apps.sources.models import Source
from tests.accounts.factories import UserFactory
from tests.factories import (
    BehaviorFactory,
    IssueFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def test_the_dashboard_is_the_home_page():
    assert DASHBOARD == "/"


def test_anonymous_visitors_log_in_first(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_anonymous_visitors_read_it_when_reading_is_public(client, settings):
    settings.SPYGLASS_PUBLIC_READ = True

    assert client.get(DASHBOARD).status_code == 200


def test_counts_every_kind():
    source = SourceFactory()
    SignalFactory.create_batch(2, source=source)
    BehaviorFactory(source=source)
    ThemeFactory(status="proposed")
    ThemeFactory()

    assert {c.key: c.value for c in counts()} == {
        "sources": 1,
        "signals": 2,
        "behaviors": 1,
        "technologies": 0,
        "issues": 0,
        "themes": 1,
    }


def test_active_themes_are_ordered_by_their_latest_link():
    quiet, busy, unused = ThemeFactory(name="quiet"), ThemeFactory(name="busy"), ThemeFactory()
    SourceThemeFactory(theme=quiet)
    IssueTheme.objects.create(issue=IssueFactory(), theme=busy)

    assert [t.name for t in active_themes()] == ["busy", "quiet"]
    assert unused not in active_themes()


def test_high_signals_are_rated_four_or_more_newest_first():
    SignalFactory(name="low", relevancy=3)
    SignalFactory(name="first", relevancy=4)
    SignalFactory(name="second", relevancy=5)

    assert [s.name for s in high_signals()] == ["second", "first"]


def test_high_signals_are_reviewed_or_confident_never_a_machine_draft(settings, editor):
    from apps.core.models import Origin
    from apps.knowledge.findings import finding_accept

    settings.SPYGLASS_DRAFT_CONFIDENCE = 0.6
    SignalFactory(name="Imported", relevancy=5, origin=Origin.IMPORT)
    SignalFactory(name="Editors' own", relevancy=5, origin=Origin.EDITOR)
    SignalFactory(name="Confident", relevancy=5, origin=Origin.AI, confidence=0.6)
    SignalFactory(name="And", relevancy=5, origin=Origin.AI, confidence=0.2)
    SignalFactory(name="The company", relevancy=5, origin=Origin.AI, confidence=None)
    accepted = SignalFactory(name="Accepted", relevancy=4, origin=Origin.AI, confidence=0.1)
    finding_accept(finding=accepted, user=editor, expected_version=1)

    shown = {s.name for s in high_signals()}

    assert shown == {"Imported", "Editors' own", "Confident", "Accepted"}


def test_the_page_shows_each_part(reader_client):
    theme = ThemeFactory(name="energy")
    source = SourceFactory(title="Tidal batteries")
    SourceThemeFactory(source=source, theme=theme)
    SignalFactory(source=source, name="Harbour grids", relevancy=5)

    html = reader_client.get(DASHBOARD).content.decode()

    assert "Tidal batteries" in html
    assert "Harbour grids" in html
    assert "energy" in html
    assert "No content" in html  # every pipeline state is listed
    assert 'aria-current="page">Dashboard' in html


def test_empty_states_say_what_to_do_next(client):
    client.force_login(UserFactory(role="analyst"))

    html = client.get(DASHBOARD).content.decode()

    assert "No sources yet" in html
    assert reverse("sources:submit") in html
    assert "No signal is rated 4 or 5 yet" in html
    assert "No theme is linked to anything yet" in html


def test_navigation_follows_the_role(client):
    client.force_login(UserFactory(role="reader"))
    html = client.get(DASHBOARD).content.decode()
    assert ">Submit<" not in html
    assert ">Admin<" not in html
    assert ">Explore<" in html

    client.force_login(UserFactory(role="admin"))
    html = client.get(DASHBOARD).content.decode()
    assert ">Submit<" in html
    assert 'href="/admin/"' in html


def _fill(n: int) -> None:
    for _i in range(n):
        theme = ThemeFactory()
        source = SourceFactory()
        SourceThemeFactory(source=source, theme=theme)
        SignalThemeFactory(signal=SignalFactory(source=source, relevancy=5), theme=theme)


def test_query_count_does_not_grow_with_the_data(reader_client):
    _fill(2)
    reader_client.get(DASHBOARD)  # warm the session and the user's role
    with CaptureQueriesContext(connection) as few:
        assert reader_client.get(DASHBOARD).status_code == 200
    _fill(12)
    with CaptureQueriesContext(connection) as many:
        assert reader_client.get(DASHBOARD).status_code == 200

    assert len(many) == len(few)


def test_the_layout_has_the_loading_region_and_no_navigation_for_visitors(client):
    html = client.get(reverse("accounts:login")).content.decode()

    assert 'id="loading"' in html
    assert 'aria-label="Main"' not in html
    assert "js/spyglass.js" in html


# --- What worked first, what did not in one line -------------------------------------

Status = Source.Status


def _finished(minutes_ago: int, **fields) -> Source:
    source = SourceFactory(**fields)
    changed = timezone.now() - timedelta(minutes=minutes_ago)
    Source.objects.filter(pk=source.pk).update(status_changed_at=changed)
    return source


def test_newest_sources_are_the_classified_ones_last_finished_first():
    older = _finished(30, title="older")
    newer = _finished(5, title="newer")
    _finished(1, status=Status.FAILED)
    _finished(1, status=Status.QUEUED)

    assert newest_sources() == [newer, older]


def test_failures_of_the_last_day_are_counted_every_way_a_link_can_stop():
    for status in (Status.FAILED, Status.BLOCKED, Status.NO_CONTENT):
        _finished(60, status=status)
    _finished(60 * 25, status=Status.FAILED)  # older than a day
    _finished(1, status=Status.DONE)

    assert failed_recently() == 3


def test_a_paste_of_failing_links_does_not_take_over_the_list(reader_client):
    _finished(90, title="A page that worked")
    for n in range(12):
        _finished(1, title=f"missing-{n}.html", status=Status.FAILED)
    for n in range(5):
        _finished(1, title=f"busy-{n}", status=Status.FETCHING)

    html = reader_client.get(DASHBOARD).content.decode()

    assert "Newest classified sources" in html
    assert "A page that worked" in html
    assert "missing-" not in html and "busy-" not in html
    pipeline = reverse("sources:pipeline")
    failures = f'12 failed</span> in the last day: <a href="{pipeline}#reasons-heading">'
    assert failures + "see Pipeline" in html
    assert f'5 in progress</span>: <a href="{pipeline}">see Pipeline' in html


def test_no_summary_line_when_nothing_failed_or_waits(reader_client):
    _finished(1, title="Fine")
    html = reader_client.get(DASHBOARD).content.decode()
    assert 'class="summary-lines"' not in html


def test_before_anything_is_classified_the_list_says_what_happens_next(client):
    client.force_login(UserFactory(role="analyst"))
    _finished(1, status=Status.FETCHING)
    html = client.get(DASHBOARD).content.decode()
    assert "No source is classified yet" in html
    assert "1 in progress" in html

    Source.objects.update(status=Status.FAILED)
    html = client.get(DASHBOARD).content.decode()
    assert f'<a href="{reverse("sources:submit")}">Submit links</a>, or see' in html
    assert "1 failed</span> in the last day" in html


def test_the_summary_lines_cost_the_same_queries_for_any_number_of_failures(reader_client):
    _fill(2)
    _finished(1, status=Status.FAILED)
    reader_client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as few:
        reader_client.get(DASHBOARD)
    for _ in range(20):
        _finished(1, status=Status.FAILED)
        _finished(1, status=Status.RETRYING)
    with CaptureQueriesContext(connection) as many:
        reader_client.get(DASHBOARD)

    assert len(many) == len(few)
