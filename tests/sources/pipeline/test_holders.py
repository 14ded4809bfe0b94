"""A worker's messages are sent again as soon as it cannot run them: at once when it
restarts under its node name, at the next sweep when it has gone silent."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.models import WorkerHeartbeat
from apps.sources.models import Source
from apps.sources.pipeline.holders import note_received, rescue_held
from apps.sources.pipeline.queue import FINAL
from apps.sources.pipeline.sweeper import sweep
from apps.sources.services import urls_submit
from tests.factories import SourceFactory
from tests.support.broker import waiting_messages
from tests.support.worker import wait_until

Status, Stage = Source.Status, Source.Stage
NODE = "fetcher-1@box"


def status_of(source_id: int) -> str:
    return Source.objects.values_list("status", flat=True).get(pk=source_id)


def holder_of(source_id: int) -> str:
    return Source.objects.values_list("claimed_by", flat=True).get(pk=source_id)


@pytest.mark.worker
def test_a_worker_restarted_under_its_name_runs_its_fetch_again_at_once(start_worker, site):
    (item,) = urls_submit(site.url("/slow-once?key=restart&seconds=60")).accepted
    source_id = item.source.pk
    name = f"restart-{uuid.uuid4().hex[:6]}@%h"
    first = start_worker(pool="prefork", name=name)
    wait_until(lambda: site.hits("/slow-once", key="restart"), first)
    assert status_of(source_id) == Status.FETCHING

    first.kill()
    # No sweep, no waiting out a silence or a time limit: the new run of the same node
    # knows that whatever the name still holds was its predecessor's.
    second = start_worker(pool="prefork", name=name)
    wait_until(lambda: status_of(source_id) in FINAL, second)

    assert status_of(source_id) == Status.DONE
    assert len(site.hits("/slow-once", key="restart")) == 2
    assert "sent again 1 sources it held" in second.output()


@pytest.mark.worker
def test_a_worker_notes_the_countdown_messages_it_holds(start_worker, site):
    from apps.sources.pipeline.queue import enqueue

    source = SourceFactory(url=site.url("/ok?held=1"), stage=Stage.FETCH, status=Status.QUEUED)
    due = timezone.now() + timedelta(seconds=40)
    Source.objects.filter(pk=source.pk).update(next_attempt_at=due)
    worker = start_worker().wait_ready()
    enqueue(source.pk, Stage.FETCH, countdown=40)

    wait_until(lambda: "@" in holder_of(source.pk), worker)
    node = holder_of(source.pk)
    worker.kill()
    assert waiting_messages("fetch") == 0  # the worker took it: the broker shows nothing

    # Its node stops reporting; the sweeper sends the message again, still due at its time.
    WorkerHeartbeat.objects.filter(hostname=node).update(
        seen_at=timezone.now() - timedelta(hours=1)
    )
    assert sweep()["resent"] == 1
    assert holder_of(source.pk) == ""
    assert waiting_messages("fetch") == 1


@pytest.mark.django_db
def test_receipt_is_noted_only_for_a_source_waiting_for_that_stage():
    waiting = SourceFactory(stage=Stage.FETCH, status=Status.QUEUED)
    other_stage = SourceFactory(stage=Stage.EXTRACT, status=Status.QUEUED)
    finished = SourceFactory(stage=Stage.FETCH, status=Status.DONE)
    for source in (waiting, other_stage, finished):
        note_received(source.pk, Stage.FETCH, NODE)

    assert holder_of(waiting.pk) == NODE
    assert holder_of(other_stage.pk) == ""
    assert holder_of(finished.pk) == ""


@pytest.mark.django_db(transaction=True)
def test_a_reconnecting_worker_sends_its_waiting_sources_but_not_its_running_ones(empty_broker):
    waiting = SourceFactory(stage=Stage.FETCH, status=Status.QUEUED, claimed_by=NODE)
    running = SourceFactory(stage=Stage.FETCH, status=Status.FETCHING, claimed_by=NODE)
    someone_elses = SourceFactory(stage=Stage.FETCH, status=Status.QUEUED, claimed_by="other@box")

    assert rescue_held(NODE, running=False) == 1

    assert holder_of(waiting.pk) == ""
    assert (status_of(running.pk), holder_of(running.pk)) == (Status.FETCHING, NODE)
    assert holder_of(someone_elses.pk) == "other@box"
    assert waiting_messages("fetch") == 1


@pytest.mark.django_db(transaction=True)
def test_a_restarted_worker_sends_its_running_sources_back_to_the_queue(empty_broker):
    running = SourceFactory(stage=Stage.EXTRACT, status=Status.EXTRACTING, claimed_by=NODE)
    finished = SourceFactory(stage=Stage.FETCH, status=Status.FAILED, claimed_by=NODE)

    assert rescue_held(NODE, running=True) == 1

    assert (status_of(running.pk), holder_of(running.pk)) == (Status.QUEUED, "")
    assert status_of(finished.pk) == Status.FAILED
    assert waiting_messages("extract") == 1


@pytest.mark.django_db(transaction=True)
def test_the_sweeper_leaves_a_live_workers_messages_alone(empty_broker):
    WorkerHeartbeat.objects.create(hostname=NODE, seen_at=timezone.now())
    source = SourceFactory(stage=Stage.FETCH, status=Status.QUEUED, claimed_by=NODE)

    assert sweep()["resent"] == 0

    assert holder_of(source.pk) == NODE
    assert waiting_messages("fetch") == 0
