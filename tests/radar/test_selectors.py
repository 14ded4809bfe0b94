"""The radar's items on known data: grouping, rings, quadrants, "new", filters, queries."""

import pytest

from apps.radar.layout import BLIP_RADIUS
from apps.radar.rules import OTHER
from apps.radar.selectors import MAX_SOURCES, radar
from tests.factories import ThemeFactory
from tests.radar.conftest import days_ago

pytestmark = pytest.mark.django_db


def draw(**options):
    return radar(**{"themes": [], "period": "", "as_of": days_ago(0), **options})


def by_name(found) -> dict:
    return {item.name: item for item in found.items}


def test_one_technology_seen_in_several_sources_is_one_blip_with_its_best_finding(technology):
    technology("Tidal turbines", 3, 400)
    best = technology("Tidal Turbines", 5, 20)
    technology("tidal turbines", None, 10)

    [item] = draw().items

    assert item.name == "Tidal Turbines"  # the best finding's spelling and description
    assert item.url.endswith(f"#technologies-{best.pk}")
    assert (item.relevancy, item.last_seen, item.source_count) == (5, days_ago(10), 3)
    assert item.first_seen == days_ago(400)
    assert item.ring == "adopt" and not item.is_new
    assert [source.date for source in item.sources] == [days_ago(20), days_ago(400), days_ago(10)]


def test_rings_new_and_numbering_follow_the_rule(technology):
    technology("Kelp farms", 4, 30)
    technology("Wave buoys", 3, 250)
    technology("Coal barges", 5, 500)

    items = by_name(draw())

    assert items["Kelp farms"].ring == "adopt" and items["Kelp farms"].is_new
    assert items["Wave buoys"].ring == "assess" and not items["Wave buoys"].is_new
    assert items["Coal barges"].ring == "hold"
    assert [item.number for item in draw().items] == [1, 2, 3]


def test_quadrants_are_the_three_most_used_categories_and_other(technology):
    for n, category in enumerate(["energy"] * 3 + ["water"] * 2 + ["food"] * 2 + ["air", "soil"]):
        technology(f"{category} tech {n}", 4, 10, category=category)

    found = draw()

    assert found.quadrants == ["Energy", "Food", "Water", OTHER]
    others = [item.category for item in found.items if item.quadrant == 3]
    assert sorted(others) == ["Air", "Soil"]


def test_a_theme_filter_matches_the_technology_or_its_source(technology):
    tidal = ThemeFactory(name="tidal power")
    technology("Own link", 4, 10, themes=[tidal])
    technology("Source link", 4, 10, source_themes=[tidal])
    technology("No link", 4, 10)

    assert sorted(by_name(draw(themes=[tidal]))) == ["Own link", "Source link"]


def test_the_period_leaves_out_older_sightings_but_new_looks_at_all_history(technology):
    technology("Old idea", 4, 300)
    technology("Old idea", 4, 30)
    technology("Forgotten", 4, 300)

    items = by_name(draw(period="90"))

    assert list(items) == ["Old idea"]
    assert not items["Old idea"].is_new
    assert items["Old idea"].source_count == 1


def test_no_technologies_make_an_empty_radar(db):
    found = draw()
    assert found.items == [] and found.quadrants == [] and not found.truncated


def test_no_two_blips_overlap_and_each_stays_in_its_ring(technology):
    for n in range(60):
        technology(f"tech {n:02d}", 5 - n % 5, (n * 37) % 400, category=f"cat {n % 6}")

    found = draw()
    drawn = [item for item in found.items if item.x is not None]

    assert len(drawn) == 60
    for i, a in enumerate(drawn):
        for b in drawn[i + 1 :]:
            distance = ((a.x - b.x) ** 2 + (a.y - b.y) ** 2) ** 0.5
            assert distance >= 2 * BLIP_RADIUS, (a.name, b.name)
    edges = {"adopt": (0, 150), "trial": (150, 250), "assess": (250, 330), "hold": (330, 400)}
    for item in drawn:
        radius = (item.x**2 + item.y**2) ** 0.5
        inner, outer = edges[item.ring]
        assert inner + BLIP_RADIUS <= radius <= outer - BLIP_RADIUS
        quadrant_signs = {0: (1, -1), 1: (-1, -1), 2: (-1, 1), 3: (1, 1)}[item.quadrant]
        assert (item.x * quadrant_signs[0] > 0) and (item.y * quadrant_signs[1] > 0)


def test_placement_is_the_same_every_time(technology):
    for n in range(10):
        technology(f"tech {n}", 4, 10)
    first = [(item.name, item.x, item.y) for item in draw().items]
    assert first == [(item.name, item.x, item.y) for item in draw().items]


def test_sources_are_bounded_per_item_and_queries_do_not_grow(
    technology, django_assert_max_num_queries
):
    for n in range(MAX_SOURCES + 3):
        technology("Popular", 4, n)
    for n in range(20):
        technology(f"tech {n}", 3, n)

    with django_assert_max_num_queries(3):
        found = draw()

    assert len(by_name(found)["Popular"].sources) == MAX_SOURCES
    assert by_name(found)["Popular"].source_count == MAX_SOURCES + 3
