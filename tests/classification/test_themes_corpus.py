"""Themes and categories measured on the third-party corpora in ../shared/corpus (read in
place, never copied); skipped when they are absent, as in a user's clone."""

import pytest

from benchmarks import themes as bench

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (bench.ARTICLES.is_file() and bench.KPCROWD.is_file()),
        reason="../shared/corpus is absent (article-extraction-benchmark, keyphrases-500n-kpcrowd)",
    ),
]


def test_most_real_pages_get_a_theme_and_the_queue_stays_bounded():
    figures = bench.coverage(limit=80)

    assert figures["with_theme_before"] < 0.3
    assert figures["with_theme_after"] >= 0.8
    assert figures["proposals_per_100_pages_after"] <= 100


def test_matching_by_meaning_finds_more_than_by_name_and_the_category_improves():
    figures = bench.matching(limit=None)

    recall = figures["theme_recall"]
    assert recall["meaning"] > recall["name"] + 0.1
    assert figures["category_accuracy_after"] > figures["category_accuracy_before"]
