"""The clustering task: sent after classification commits, idempotent, quiet when nothing's left."""

import pytest

from apps.clusters.models import Cluster, ClusterMember
from apps.clusters.services import signals_place
from apps.clusters.tasks import enqueue_source, place_source
from apps.knowledge.findings import finding_update
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


def test_an_editors_edit_of_a_signals_text_places_it_again(
    editor, django_capture_on_commit_callbacks
):
    ids = sorted(make_signals(HEAT))
    for pk in ids:
        signals_place(signal_ids=[pk])
    signal = Signal.objects.get(pk=ids[-1])

    with inline_pipeline(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        finding_update(
            finding=signal,
            values={"name": "Wolves return to farmland", "description": "Packs near sheep."},
            expected_version=signal.version,
            user=editor,
        )

    assert len(callbacks) == 1
    assert not ClusterMember.objects.filter(signal=signal).exists()
    assert Cluster.objects.get().members.count() == len(HEAT) - 1


def test_an_edit_of_the_relevancy_only_sends_nothing(editor, django_capture_on_commit_callbacks):
    signal = Signal.objects.get(pk=next(iter(make_signals(HEAT[:1]))))

    with django_capture_on_commit_callbacks() as callbacks:
        finding_update(
            finding=signal, values={"relevancy": 5}, expected_version=signal.version, user=editor
        )

    assert callbacks == []
