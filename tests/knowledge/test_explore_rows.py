"""The explorer's rows are rendered once per generation of the cache, for every reader, and
again after any change they show (apps/knowledge/explore_views.py, _rows).

These tests commit (transactional_db): the generation moves when a change commits.
"""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.sources.models import Source
from tests.accounts.factories import UserFactory
from tests.factories import SignalFactory, SignalThemeFactory, SourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db(transaction=True)

EXPLORE = reverse("explore:index")


def reader(username: str = "rita", zone: str | None = None) -> Client:
    client = Client()
    client.force_login(UserFactory(username=username, role="reader"))
    if zone:
        client.cookies["tz"] = zone
    return client


def rows_loaded(queries) -> list:
    """The queries that load findings in full (not the page's ids)."""
    return [q for q in queries if q["sql"].startswith('SELECT "knowledge_signal"."id", ')]


def test_a_second_reader_gets_the_rows_without_loading_or_rendering_them():
    energy = ThemeFactory(name="energy")
    SignalThemeFactory(signal=SignalFactory(name="Heat pumps everywhere"), theme=energy)
    first = reader().get(EXPLORE, {"theme": "energy"})

    with CaptureQueriesContext(connection) as queries:
        second = reader("sam").get(EXPLORE, {"theme": "energy"})

    assert "Heat pumps everywhere" in second.content.decode()
    assert not rows_loaded(queries)
    assert "knowledge/explore.html#result" not in [t.name for t in second.templates]
    assert first.content.decode().count('class="result"') == 1


def test_the_rows_show_a_change_of_the_finding_its_source_or_a_theme():
    energy = ThemeFactory(name="energy")
    signal = SignalFactory(name="Heat pumps everywhere")
    SignalThemeFactory(signal=signal, theme=energy)
    client = reader()
    client.get(EXPLORE)

    signal.name = "Heat pumps in every home"
    signal.save()
    source = signal.source
    source.title = "Grid report 2026"
    source.save()
    energy.name = "clean energy"
    energy.save()

    html = client.get(EXPLORE).content.decode()
    assert "Heat pumps in every home" in html
    assert "Grid report 2026" in html
    assert ">clean energy</a>" in html


def test_each_reader_sees_dates_in_their_own_time_zone():
    source = SourceFactory(published_on=None)
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    Source.objects.filter(pk=source.pk).update(submitted_at=late)
    SignalFactory(source=source, name="Late filing")

    in_utc = reader().get(EXPLORE).content.decode()
    in_auckland = reader("sam", zone="Pacific/Auckland").get(EXPLORE).content.decode()

    assert '<time datetime="2026-03-01">' in in_utc
    assert '<time datetime="2026-03-02">' in in_auckland
