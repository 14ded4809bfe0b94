"""The hand-written gold records of benchmarks/gold/ are valid records the benchmark can use."""

from pathlib import Path

import pytest

from apps.classification.base import DEFAULT_CATEGORIES
from apps.records.parser import parse_record
from benchmarks.corpus import article_benchmark
from benchmarks.records_data import load_gold, page_key

GOLD = Path(__file__).resolve().parents[2] / "benchmarks" / "gold"
CATEGORIES = set(DEFAULT_CATEGORIES)
FILES = sorted(GOLD.glob("*.md"))


def test_there_are_at_least_25_gold_records():
    assert len(FILES) >= 25


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem[:12])
def test_each_record_parses_and_has_what_the_benchmark_needs(path):
    record = parse_record(path.read_bytes(), path=str(path))

    assert 2 <= len(record.themes) <= 4
    assert record.category in CATEGORIES
    assert 2 <= len(record.signals) <= 5
    for signal in record.signals:
        assert signal.name.strip() and signal.change.strip() and signal.description.strip()
        assert signal.change != signal.description
    # The record names its page by its sha256, which is also its file name.
    assert page_key(record, path) == path.stem
    assert len(path.stem) == 64 and set(path.stem) <= set("0123456789abcdef")


def test_gold_records_reference_pages_of_the_corpus():
    corpus = article_benchmark()
    if corpus is None:
        pytest.skip("../shared/corpus/article-extraction-benchmark is absent")
    truth = corpus.ground_truth()
    for record in load_gold(GOLD):
        assert record.key in truth, f"{record.path.name}: no such page in the corpus"
        assert corpus.page_path(record.key).is_file()
