"""A finding's sort_date is its source's date, kept by the database (knowledge/sort_date.py)."""

from datetime import UTC, date, datetime

import pytest

from apps.knowledge.models import Signal
from apps.sources.models import Source
from tests.factories import IssueFactory, SignalFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _sort_date(finding) -> date | None:
    return type(finding).objects.values_list("sort_date", flat=True).get(pk=finding.pk)


def test_a_new_finding_takes_its_sources_publication_date():
    signal = SignalFactory(source=SourceFactory(published_on=date(2024, 3, 5)))
    assert _sort_date(signal) == date(2024, 3, 5)


def test_without_a_publication_date_it_is_the_utc_day_of_submission():
    source = SourceFactory(published_on=None)
    Source.objects.filter(pk=source.pk).update(
        submitted_at=datetime(2023, 7, 1, 23, 30, tzinfo=UTC)
    )
    assert _sort_date(IssueFactory(source=source)) == date(2023, 7, 1)


def test_a_sources_new_date_reaches_its_findings_however_it_is_written():
    source = SourceFactory(published_on=date(2024, 3, 5))
    signal = SignalFactory(source=source)
    Source.objects.filter(pk=source.pk).update(published_on=date(2020, 1, 2))  # no save()
    assert _sort_date(signal) == date(2020, 1, 2)
    source.refresh_from_db()
    source.published_on = None
    source.save()
    assert _sort_date(signal) == source.submitted_at.astimezone(UTC).date()


def test_a_finding_moved_to_another_source_takes_that_sources_date():
    signal = SignalFactory(source=SourceFactory(published_on=date(2024, 3, 5)))
    Signal.objects.filter(pk=signal.pk).update(source=SourceFactory(published_on=date(2019, 9, 9)))
    assert _sort_date(signal) == date(2019, 9, 9)


def test_saving_a_finding_keeps_its_date():
    signal = SignalFactory(source=SourceFactory(published_on=date(2024, 3, 5)))
    signal.sort_date = None  # a stale copy in memory must not blank the column
    signal.name = "renamed"
    signal.save()
    assert _sort_date(signal) == date(2024, 3, 5)
