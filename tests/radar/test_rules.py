"""The ring rule, "new" and the quadrants, on known values."""

import datetime as dt

import pytest

from apps.radar.rules import OTHER, is_new, quadrant_names, ring_for

AS_OF = dt.date(2026, 12, 1)


def ago(days: int) -> dt.date:
    return AS_OF - dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("relevancy", "days", "ring"),
    [
        (5, 0, "adopt"),
        (4, 180, "adopt"),
        (4, 181, "trial"),
        (5, 365, "trial"),
        (5, 366, "hold"),
        (3, 10, "trial"),
        (3, 200, "assess"),
        (3, 400, "hold"),
        (2, 10, "assess"),
        (None, 10, "assess"),
        (1, 200, "hold"),
        (None, 500, "hold"),
    ],
)
def test_the_ring_comes_from_relevancy_and_recency(relevancy, days, ring):
    assert ring_for(relevancy, ago(days), AS_OF) == ring


def test_an_undated_technology_is_on_hold():
    assert ring_for(5, None, AS_OF) == "hold"


def test_new_means_first_seen_in_the_last_90_days():
    assert is_new(ago(90), AS_OF)
    assert not is_new(ago(91), AS_OF)
    assert not is_new(None, AS_OF)


def test_four_categories_or_fewer_get_a_quadrant_each_most_used_first():
    assert quadrant_names(["b", "a", "b", "c"]) == ["b", "a", "c"]
    assert quadrant_names([]) == []


def test_more_than_four_categories_share_with_other():
    names = quadrant_names(["a", "a", "a", "b", "b", "c", "c", "d", "e"])
    assert names == ["a", "b", "c", OTHER]
