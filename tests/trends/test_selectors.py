"""Signals and sources per week and month, per theme and category, on known data."""

import datetime as dt

import pytest

from apps.knowledge.explorer import findings_filtered
from apps.trends.selectors import category_series, overall_series, theme_series
from tests.factories import (
    CategoryFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

MON = dt.date(2026, 11, 2)  # a Monday


def day(offset: int) -> dt.date:
    return MON + dt.timedelta(days=offset)


def source(on: dt.date, *themes, category=None):
    item = SourceFactory(published_on=on, **({"category": category} if category else {}))
    for theme in themes:
        SourceThemeFactory(source=item, theme=theme)
    return item


def signal(src, *themes):
    item = SignalFactory(source=src)
    for theme in themes:
        SignalThemeFactory(signal=item, theme=theme)
    return item


def window(start, end, period="week", **extra) -> dict:
    return {"start": start, "end": end, "period": period, "theme": [], **extra}


@pytest.fixture
def tides():
    """Tidal power over three weeks: own links, source links, and both on one signal."""
    tidal, other = ThemeFactory(name="tidal power"), ThemeFactory(name="dredging")
    week1 = source(day(0), tidal)  # Monday: the source carries the theme
    signal(week1)  # inherits it
    signal(week1, tidal)  # own and inherited: counts once
    week1b = source(day(6))  # Sunday, same week
    signal(week1b, tidal)
    week3 = source(day(15), other)  # third week, another theme
    signal(week3, tidal)  # own link only; its source counts through it
    signal(week3)
    return tidal, other


def test_signals_and_sources_are_counted_per_week_with_the_explorers_theme_rule(tides):
    tidal, _ = tides
    [series] = theme_series(window(day(0), day(20), theme=[tidal]))

    assert series.buckets == [day(0), day(7), day(14)]
    assert series.signals == [3, 0, 1]
    assert series.sources == [2, 0, 1]
    explorer = findings_filtered("signals", {"theme": [tidal]}).count()
    assert sum(series.signals) == explorer


def test_a_month_holds_every_week_of_it(tides):
    tidal, _ = tides
    [series] = theme_series(window(day(0), day(20), period="month", theme=[tidal]))

    assert series.buckets == [dt.date(2026, 11, 1)]
    assert series.signals == [4]
    assert series.sources == [3]


def test_without_chosen_themes_the_most_carried_come_first(tides):
    names = [series.name for series in theme_series(window(day(0), day(20)))]

    assert names == ["tidal power", "dredging"]


def test_dates_outside_the_range_are_not_counted(tides):
    tidal, _ = tides
    [series] = theme_series(window(day(14), day(20), theme=[tidal]))

    assert series.buckets == [day(14)]
    assert series.signals == [1]


def test_categories_and_the_overall_counts(tides):
    energy = CategoryFactory(name="energy")
    signal(source(day(8), category=energy))
    by_category = {s.name: s for s in category_series(window(day(0), day(20)))}
    overall = overall_series(window(day(0), day(20)))

    assert by_category["Energy"].signals == [0, 1, 0]
    assert by_category["Technology"].signals == [3, 0, 2]
    assert by_category["Technology"].sources == [2, 0, 1]
    assert overall.signals == [3, 1, 2]
    assert overall.sources == [2, 1, 1]


def test_a_category_filter_narrows_the_theme_counts(tides):
    tidal, _ = tides
    energy = CategoryFactory(name="energy")
    signal(source(day(8), category=energy), tidal)
    [series] = theme_series(window(day(0), day(20), theme=[tidal], category=energy))

    assert series.signals == [0, 1, 0]


def test_no_data_gives_empty_buckets_not_an_error():
    assert theme_series(window(day(0), day(20))) == []
    overall = overall_series(window(day(0), day(20)))
    assert overall.signals == [0, 0, 0]
    assert category_series(window(day(0), day(20))) == []


def test_a_source_without_a_publication_date_counts_on_the_day_it_was_submitted(tides):
    tidal, _ = tides
    undated = SourceFactory(published_on=None)
    signal(undated, tidal)
    today = undated.submitted_at.date()
    [series] = theme_series(window(today, today, theme=[tidal]))

    assert series.signals == [1]


def test_the_queries_do_not_grow_with_the_data(tides, django_assert_max_num_queries):
    tidal, other = tides
    for n in range(30):
        signal(source(day(n % 21), tidal, other), tidal)
    with django_assert_max_num_queries(9):
        theme_series(window(day(0), day(20)))
    with django_assert_max_num_queries(3):
        category_series(window(day(0), day(20)))
