"""The dashboard at /: counts, newest sources, pipeline states, active themes, high signals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.dashboard import active_themes, counts, high_signals
from apps.knowledge.models import IssueTheme
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
