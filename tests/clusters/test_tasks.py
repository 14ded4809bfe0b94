"""The clustering task: sent after classification commits, idempotent, quiet when nothing's left."""

import pytest

from apps.clusters.models import Cluster
from apps.clusters.tasks import enqueue_source, place_source
from apps.knowledge.models import Signal
from apps.sources.pipeline.queue import inline_pipeline
from tests.clusters.support import make_signals, paraphrases

pytestmark = pytest.mark.django_db

HEAT = [row for row in paraphrases() if row["group"] == "heat-pumps-outsell"]


def test_the_task_places_a_sources_signals_and_is_idempotent():
    ids = sorted(make_signals(HEAT[:2]))
    first = Signal.objects.get(pk=ids[0]).source_id
    second = Signal.objects.get(pk=ids[1]).source_id

    assert place_source.apply(kwargs={"source_id": first}).get() == {
        "joined": 0,
        "paired": 0,
        "alone": 1,
        "kept": 0,
    }
    assert place_source.apply(kwargs={"source_id": second}).get()["paired"] == 1
    assert place_source.apply(kwargs={"source_id": second}).get()["kept"] == 1
    assert Cluster.objects.count() == 1


def test_a_source_without_signals_is_a_no_op():
    assert place_source.apply(kwargs={"source_id": 10**9}).get() is None


def test_it_is_sent_only_after_the_transaction_commits(django_capture_on_commit_callbacks):
    ids = sorted(make_signals(HEAT[:2]))
    with inline_pipeline(), django_capture_on_commit_callbacks() as callbacks:
        for pk in ids:
            enqueue_source(Signal.objects.get(pk=pk).source_id)
        assert not Cluster.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()

    assert Cluster.objects.count() == 1
