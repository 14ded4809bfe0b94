import gc
import weakref

import pytest

from apps.core.streaming import chunked
from apps.knowledge.models import Signal
from tests.records.conftest import many_sources

pytestmark = pytest.mark.django_db


def signals():
    return Signal.objects.select_related("source").prefetch_related("themes", "source__themes")


def rows_left_alive(rows) -> int:
    """How many rows (and their sources) outlive the loop while the cycle collector is off."""
    refs = []
    gc.collect()
    gc.disable()
    try:
        for row in rows:
            assert row.themes.all() is not None
            refs += [weakref.ref(row), weakref.ref(row.source)]
        del row
        return sum(ref() is not None for ref in refs)
    finally:
        gc.enable()


def test_chunked_rows_are_freed_without_waiting_for_the_cycle_collector():
    many_sources(3)  # 6 signals, read 2 at a time

    assert rows_left_alive(chunked(signals(), chunk_size=2)) == 0
    # Plain iterator(): prefetching leaves every row in a reference cycle.
    assert rows_left_alive(signals().iterator(chunk_size=2)) == 12


def test_chunked_gives_every_row_with_its_prefetches(django_assert_num_queries):
    many_sources(3)

    with django_assert_num_queries(1 + 2 * 3):
        names = [(row.name, len(row.themes.all())) for row in chunked(signals(), chunk_size=2)]

    assert len(names) == 6 and sum(count for _, count in names) == 3
