"""The evidence strength rule on known figures."""

from datetime import date

from apps.clusters.evidence import Evidence, strength, weight

TODAY = date(2026, 12, 6)


def test_a_source_counts_once_by_its_best_signal():
    items = [Evidence(1, TODAY, 5), Evidence(1, TODAY, 2), Evidence(2, TODAY, 5)]
    assert strength(items, TODAY) == 2.0


def test_evidence_halves_every_half_life(settings):
    settings.SPYGLASS_CLUSTERS = {**settings.SPYGLASS_CLUSTERS, "half_life_days": 365.0}
    assert weight(Evidence(1, date(2025, 12, 6), 5), TODAY) == 0.5


def test_an_unrated_signal_weighs_as_relevancy_three():
    assert weight(Evidence(1, TODAY, None), TODAY) == 0.6


def test_a_future_date_does_not_add_weight():
    assert weight(Evidence(1, date(2027, 1, 1), 5), TODAY) == 1.0
