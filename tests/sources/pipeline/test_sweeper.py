"""The sweeper: what it rescues and resends, and what it leaves alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.sources import tasks
from apps.sources.models import Source
from apps.sources.pipeline.sweeper import sweep
from tests.factories import SourceFactory
from tests.support.broker import waiting_messages

pytestmark = pytest.mark.django_db
Status, Stage = Source.Status, Source.Stage


@pytest.fixture
def limits(settings):
    # Hard limits 120 / 90 / 180 s, a 60 s margin: fetching is stuck after 180 s, extracting
    # after 150 s, classifying after 240 s. Queued work is resent after 600 s.
    settings.SPYGLASS_STAGE_LIMITS = {
        "fetch": (90.0, 120.0),
        "extract": (60.0, 90.0),
        "classify": (120.0, 180.0),
    }
    settings.SPYGLASS_PIPELINE = {
        **settings.SPYGLASS_PIPELINE,
        "stuck_margin": 60.0,
        "queued_grace": 600.0,
    }


def source(status, stage, *, seconds_ago: float, next_in: float | None = None) -> Source:
    now = timezone.now()
    return SourceFactory(
        status=status,
        stage=stage,
        status_changed_at=now - timedelta(seconds=seconds_ago),
        next_attempt_at=None if next_in is None else now + timedelta(seconds=next_in),
    )


def status_of(item: Source) -> str:
    return Source.objects.get(pk=item.pk).status


@pytest.mark.usefixtures("limits", "empty_broker")
def test_the_sweeper_rescues_stuck_rows_and_resends_lost_tasks(
    django_capture_on_commit_callbacks,
):
    stuck_fetch = source(Status.FETCHING, Stage.FETCH, seconds_ago=181)
    stuck_extract = source(Status.EXTRACTING, Stage.EXTRACT, seconds_ago=151)
    lost = source(Status.QUEUED, Stage.CLASSIFY, seconds_ago=601)
    lost_retry = source(Status.RETRYING, Stage.FETCH, seconds_ago=700, next_in=-601)

    with django_capture_on_commit_callbacks(execute=True):
        counts = sweep()

    assert counts == {"rescued": 2, "resent": 2}
    assert status_of(stuck_fetch) == status_of(stuck_extract) == Status.QUEUED
    assert status_of(lost) == Status.QUEUED
    assert status_of(lost_retry) == Status.RETRYING  # its task claims it as a retry
    assert (waiting_messages("fetch"), waiting_messages("extract")) == (2, 1)
    assert waiting_messages("classify") == 1


@pytest.mark.usefixtures("limits")
def test_the_sweeper_leaves_fresh_and_final_rows_alone(django_capture_on_commit_callbacks):
    rows = [
        source(Status.FETCHING, Stage.FETCH, seconds_ago=170),
        source(Status.EXTRACTING, Stage.EXTRACT, seconds_ago=140),
        source(Status.CLASSIFYING, Stage.CLASSIFY, seconds_ago=200),
        source(Status.QUEUED, Stage.FETCH, seconds_ago=500),
        source(Status.RETRYING, Stage.FETCH, seconds_ago=900, next_in=30),
        source(Status.RETRYING, Stage.FETCH, seconds_ago=30, next_in=-100),  # just sent again
        source(Status.DONE, Stage.CLASSIFY, seconds_ago=10_000),
        source(Status.FAILED, Stage.FETCH, seconds_ago=10_000),
    ]
    before = list(Source.objects.order_by("pk").values())

    with django_capture_on_commit_callbacks() as sent:
        assert sweep() == {"rescued": 0, "resent": 0}

    assert sent == []
    assert list(Source.objects.order_by("pk").values()) == before
    assert len(rows) == len(before)


@pytest.mark.usefixtures("limits")
def test_a_resent_task_waits_a_full_grace_period_before_it_is_sent_again(
    django_capture_on_commit_callbacks,
):
    lost = source(Status.QUEUED, Stage.FETCH, seconds_ago=601)
    now = timezone.now()

    with django_capture_on_commit_callbacks() as sent:
        assert sweep(now)["resent"] == 1
        assert sweep(now + timedelta(seconds=599))["resent"] == 0
        assert sweep(now + timedelta(seconds=601))["resent"] == 1

    assert len(sent) == 2
    assert Source.objects.get(pk=lost.pk).status == Status.QUEUED


@pytest.mark.usefixtures("limits")
def test_work_that_has_come_due_is_sent_within_a_minute(django_capture_on_commit_callbacks):
    retry = source(Status.RETRYING, Stage.FETCH, seconds_ago=3600, next_in=-61)
    slot = source(Status.QUEUED, Stage.FETCH, seconds_ago=300, next_in=-1)
    not_yet = source(Status.QUEUED, Stage.FETCH, seconds_ago=300, next_in=30)

    with django_capture_on_commit_callbacks() as sent:
        assert sweep()["resent"] == 2

    assert len(sent) == 2
    assert status_of(retry) == Status.RETRYING and status_of(slot) == Status.QUEUED
    assert Source.objects.get(pk=not_yet.pk).status_changed_at < timezone.now() - timedelta(
        seconds=299
    )


def test_a_long_wait_is_left_to_the_sweeper_not_held_in_the_broker(
    django_capture_on_commit_callbacks,
):
    from apps.sources.pipeline.queue import LONGEST_COUNTDOWN, enqueue

    with django_capture_on_commit_callbacks() as sent:
        enqueue(1, Stage.FETCH, countdown=LONGEST_COUNTDOWN)
        enqueue(2, Stage.FETCH, countdown=LONGEST_COUNTDOWN + 1)

    assert len(sent) == 1


@pytest.mark.usefixtures("limits")
def test_the_beat_task_runs_the_sweeper():
    source(Status.FETCHING, Stage.FETCH, seconds_ago=181)

    assert tasks.sweep_pipeline() == {"rescued": 1, "resent": 0}


@pytest.mark.usefixtures("limits")
def test_a_running_source_whose_worker_went_silent_is_rescued_before_the_limit(
    django_capture_on_commit_callbacks,
):
    from apps.core.models import WorkerHeartbeat

    now = timezone.now()
    WorkerHeartbeat.objects.create(hostname="fetch@gone", seen_at=now - timedelta(seconds=65))
    WorkerHeartbeat.objects.create(hostname="fetch@alive", seen_at=now - timedelta(seconds=5))
    orphan = source(Status.FETCHING, Stage.FETCH, seconds_ago=70)
    busy = source(Status.FETCHING, Stage.FETCH, seconds_ago=70)
    in_process = source(Status.FETCHING, Stage.FETCH, seconds_ago=70)  # ingest --sync
    just_claimed = source(Status.FETCHING, Stage.FETCH, seconds_ago=10)
    Source.objects.filter(pk__in=[orphan.pk, just_claimed.pk]).update(claimed_by="fetch@gone")
    Source.objects.filter(pk=busy.pk).update(claimed_by="fetch@alive")

    with django_capture_on_commit_callbacks(execute=False):
        assert sweep(now)["rescued"] == 1

    assert status_of(orphan) == Status.QUEUED
    assert status_of(busy) == status_of(in_process) == status_of(just_claimed) == Status.FETCHING
