"""Prepared queries (apps/core/prepared.py): built once, run for any id, values as Django
would give them."""

import pytest
from django.db.models import Value

from apps.core.prepared import Prepared
from apps.knowledge.models import Signal
from tests.factories import SignalFactory, SourceFactory

pytestmark = pytest.mark.django_db

COLUMNS = ("kind", "id", "name", "machine_values", "created_at", "relevancy")


def signals_of(source_id: int):
    return (
        Signal.objects.filter(source_id=source_id)
        .annotate(kind=Value("signals"))
        .order_by("position", "id")
        .values_list(*COLUMNS)
    )


def test_it_runs_the_query_for_each_id_with_the_values_django_gives():
    first, second = SourceFactory(), SourceFactory()
    SignalFactory(source=first, name="a", machine_values={"name": "a"}, relevancy=None)
    SignalFactory(source=first, name="b", relevancy=4)
    SignalFactory(source=second, name="c")
    built = []
    prepared = Prepared(lambda source_id: built.append(source_id) or signals_of(source_id))

    for source in (first, second, first):
        assert prepared.rows(source.pk) == [list(row) for row in signals_of(source.pk)]

    assert len(built) == 1  # built and compiled once, for the placeholder
    [row, _] = prepared.rows(first.pk)
    assert row[3] == {"name": "a"} and row[4].tzinfo is not None  # JSON and dates converted


def test_a_query_that_does_not_filter_by_the_id_is_refused():
    prepared = Prepared(lambda source_id: Signal.objects.values_list("id"))

    with pytest.raises(ValueError, match="id"):
        prepared.rows(1)
