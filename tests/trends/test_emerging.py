"""Emerging themes: the ranking by smoothed share growth, its baseline and its minimum."""

import datetime as dt

import pytest

from apps.trends.emerging import emerging_themes, smoothed
from tests.factories import SignalFactory, SignalThemeFactory, SourceFactory, ThemeFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 30)  # a Monday: the last recent week starts that day


def signals(on: dt.date, count: int, *themes) -> None:
    for _ in range(count):
        item = SignalFactory(source=SourceFactory(published_on=on))
        for theme in themes:
            SignalThemeFactory(signal=item, theme=theme)


def week(offset: int) -> dt.date:
    """The Monday `offset` weeks before AS_OF's week (0 is that week)."""
    return AS_OF - dt.timedelta(weeks=offset)


def rank(**options):
    settings = {"period": "week", "as_of": AS_OF, "recent": 2, "baseline": 2, "minimum": 3}
    return emerging_themes(**{**settings, **options})


def test_the_theme_whose_share_grows_most_ranks_first_with_its_figures():
    rising, steady = ThemeFactory(name="rising"), ThemeFactory(name="steady")
    signals(week(3), 1, rising)
    signals(week(3), 4, steady)
    signals(week(2), 5)  # signals without themes make up the rest of the total
    signals(week(1), 3, rising)
    signals(week(0), 3, rising)
    signals(week(0), 4, steady)
    signals(week(0), 3)

    ranking = rank()

    assert [row.theme.name for row in ranking.ranked] == ["rising", "steady"]
    first = ranking.ranked[0]
    assert ranking.buckets == [week(3), week(2), week(1), week(0)]
    assert first.counts == [1, 0, 3, 3]
    assert (first.recent, first.baseline) == (6, 1)
    assert (ranking.recent_total, ranking.baseline_total) == (13, 10)
    assert first.recent_share == smoothed(6, 13) == 8 / 17
    assert first.baseline_share == smoothed(1, 10) == 3 / 14
    assert first.growth == pytest.approx((8 / 17) / (3 / 14))
    assert ranking.totals == [5, 5, 3, 10]


def test_themes_under_the_minimum_are_counted_but_not_ranked():
    tiny = ThemeFactory(name="tiny")
    signals(week(0), 2, tiny)

    ranking = rank()

    assert ranking.ranked == []
    assert ranking.below_minimum == 1


def test_smoothing_keeps_a_tiny_newcomer_below_a_large_grower():
    newcomer, grower = ThemeFactory(name="newcomer"), ThemeFactory(name="grower")
    signals(week(3), 10, grower)
    signals(week(3), 90)
    signals(week(0), 3, newcomer)
    signals(week(0), 40, grower)
    signals(week(0), 57)

    ranked = rank().ranked

    assert [row.theme.name for row in ranked] == ["grower", "newcomer"]
    assert ranked[1].new and not ranked[0].new


def test_no_data_ranks_nothing():
    ThemeFactory(name="quiet")
    ranking = rank()

    assert ranking.ranked == [] and ranking.below_minimum == 0
    assert ranking.totals == [0, 0, 0, 0]


def test_one_recent_and_one_baseline_month():
    theme = ThemeFactory(name="monthly")
    signals(dt.date(2026, 10, 31), 1, theme)
    signals(dt.date(2026, 11, 1), 4, theme)

    ranking = rank(period="month", recent=1, baseline=1, minimum=1)

    assert ranking.buckets == [dt.date(2026, 10, 1), dt.date(2026, 11, 1)]
    assert ranking.ranked[0].counts == [1, 4]
    assert ranking.ranked[0].growth == pytest.approx(smoothed(4, 4) / smoothed(1, 1))


def test_signals_after_the_as_of_date_are_left_out():
    theme = ThemeFactory(name="later")
    signals(AS_OF + dt.timedelta(days=1), 5, theme)

    assert rank(minimum=1).ranked == []


def test_the_queries_are_bounded(django_assert_max_num_queries):
    themes = [ThemeFactory(name=f"theme {n}") for n in range(10)]
    for n, theme in enumerate(themes):
        signals(week(n % 4), 3, theme)
    with django_assert_max_num_queries(5):
        rank(minimum=1)
