"""The stage runner in this process: claims, transitions, retries and backoff.

Tests run inside a rolled-back transaction, so the tasks that would be sent on commit are
never sent; where it matters, the on-commit callbacks are counted instead.
"""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.sources.models import HostSlot, Source
from apps.sources.pipeline.failures import Failure
from apps.sources.pipeline.runner import backoff_seconds, claim, retry_policy, run_stage
from apps.sources.services import source_submit
from config import settings as project_settings
from tests.factories import SourceFactory
from tests.support.http import closed_port
from tests.support.worker import MAX_ATTEMPTS, QUICK_ATTEMPTS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_private", "quick_retries")]
Status, Stage = Source.Status, Source.Stage


def submitted(site, path: str) -> Source:
    source, created = source_submit(site.url(path))
    assert created
    return source


def row(source: Source) -> dict:
    return Source.objects.values().get(pk=source.pk)


def test_running_a_stage_twice_changes_nothing_the_second_time(site):
    source = submitted(site, "/ok?case=twice")
    assert run_stage(source.pk, Stage.FETCH) == Status.QUEUED
    after_first = row(source)

    assert run_stage(source.pk, Stage.FETCH) is None
    assert row(source) == after_first
    assert len(site.hits("/ok", case="twice")) == 1


def test_a_task_for_another_stage_is_a_no_op(site):
    source = submitted(site, "/ok?case=other-stage")
    before = row(source)

    assert run_stage(source.pk, Stage.EXTRACT) is None
    assert run_stage(source.pk, Stage.CLASSIFY) is None
    assert row(source) == before
    assert site.hits("/ok", case="other-stage") == []


def test_a_task_for_a_deleted_source_is_a_no_op():
    assert run_stage(2_000_000_000, Stage.FETCH) is None


@pytest.mark.parametrize("status", [Status.FETCHING, Status.DONE, Status.FAILED, Status.BLOCKED])
def test_only_a_waiting_source_is_claimed(status):
    source = SourceFactory(status=status, stage=Stage.FETCH)

    assert claim(source.pk, Stage.FETCH) is None
    assert Source.objects.get(pk=source.pk).status == status


def test_a_retry_is_not_claimed_long_before_its_time():
    source = SourceFactory(
        status=Status.RETRYING,
        stage=Stage.FETCH,
        next_attempt_at=timezone.now() + timedelta(minutes=5),
    )

    assert claim(source.pk, Stage.FETCH) is None
    Source.objects.filter(pk=source.pk).update(next_attempt_at=timezone.now())
    claimed = claim(source.pk, Stage.FETCH)
    assert claimed is not None
    assert claimed.status == Status.FETCHING


def test_the_stages_run_in_order_to_done(site):
    source = submitted(site, "/ok?case=order")

    assert run_stage(source.pk, Stage.FETCH) == Status.QUEUED
    assert Source.objects.get(pk=source.pk).stage == Stage.EXTRACT
    assert run_stage(source.pk, Stage.EXTRACT) == Status.QUEUED
    assert Source.objects.get(pk=source.pk).stage == Stage.CLASSIFY
    assert run_stage(source.pk, Stage.CLASSIFY) == Status.DONE


def test_each_stage_sends_the_next_task_after_commit(site, django_capture_on_commit_callbacks):
    source = submitted(site, "/ok?case=next-task")

    with django_capture_on_commit_callbacks() as fetch_sent:
        run_stage(source.pk, Stage.FETCH)
    with django_capture_on_commit_callbacks() as nothing_sent:
        run_stage(source.pk, Stage.FETCH)

    assert len(fetch_sent) == 1
    assert nothing_sent == []


def test_a_server_error_is_retried_with_backoff(site, django_capture_on_commit_callbacks):
    source = submitted(site, "/flaky?key=runner")
    before = timezone.now()

    with django_capture_on_commit_callbacks() as sent:
        assert run_stage(source.pk, Stage.FETCH) == Status.RETRYING

    source.refresh_from_db()
    assert (source.stage, source.attempts) == (Stage.FETCH, 1)
    assert (source.failure_code, source.failure_message) == ("http_500", "HTTP 500")
    # First retry: 0.2 s base, times a jitter of 0.5 to 1.
    assert before + timedelta(seconds=0.1) <= source.next_attempt_at
    assert source.next_attempt_at <= timezone.now() + timedelta(seconds=0.2)
    assert len(sent) == 1

    assert run_stage(source.pk, Stage.FETCH) == Status.QUEUED
    source.refresh_from_db()
    assert (source.stage, source.attempts, source.failure_message) == (Stage.EXTRACT, 0, "")
    assert source.next_attempt_at is None


def test_a_429_waits_as_long_as_the_server_asks(site):
    source = submitted(site, "/ratelimited?key=runner")
    before = timezone.now()

    assert run_stage(source.pk, Stage.FETCH) == Status.RETRYING

    source.refresh_from_db()
    assert source.failure_message == "HTTP 429"
    assert before + timedelta(seconds=1) <= source.next_attempt_at
    assert source.next_attempt_at <= timezone.now() + timedelta(seconds=1)


def test_transient_failures_give_up_after_the_last_attempt(site):
    source = submitted(site, "/error?case=give-up")

    outcomes = [run_stage(source.pk, Stage.FETCH) for _ in range(MAX_ATTEMPTS)]

    assert outcomes == [Status.RETRYING] * (MAX_ATTEMPTS - 1) + [Status.FAILED]
    source.refresh_from_db()
    assert source.failure_message == f"HTTP 500 (gave up after {MAX_ATTEMPTS} attempts)"
    assert (source.attempts, source.next_attempt_at) == (MAX_ATTEMPTS, None)
    assert len(site.hits("/error", case="give-up")) == MAX_ATTEMPTS


def test_a_refused_connection_fails_after_a_few_quick_attempts():
    with closed_port() as port:
        source, _ = source_submit(f"http://127.0.0.1:{port}/nothing-here")
        started = timezone.now()

        outcomes = [run_stage(source.pk, Stage.FETCH) for _ in range(QUICK_ATTEMPTS)]

    assert outcomes == [Status.RETRYING] * (QUICK_ATTEMPTS - 1) + [Status.FAILED]
    source.refresh_from_db()
    assert source.failure_code == "connection_refused"
    assert source.failure_message == (
        f"the server refused the connection (nothing listens on port {port})"
        f" (gave up after {QUICK_ATTEMPTS} attempts)"
    )
    assert source.attempts == QUICK_ATTEMPTS < MAX_ATTEMPTS
    assert timezone.now() - started < timedelta(seconds=5)


@pytest.mark.parametrize(
    ("code", "attempts"),
    [
        ("connection_refused", QUICK_ATTEMPTS),
        ("name_not_found", QUICK_ATTEMPTS),
        ("connection", MAX_ATTEMPTS),
        ("timeout", MAX_ATTEMPTS),
        ("http_503", MAX_ATTEMPTS),
    ],
)
def test_only_refused_connections_and_unknown_names_get_the_quick_policy(code, attempts):
    assert retry_policy(Failure(code, "why", transient=True))[0] == attempts


def test_by_default_a_refused_connection_fails_within_half_a_minute():
    attempts = project_settings.SPYGLASS_PIPELINE["quick_attempts"]
    first = project_settings.SPYGLASS_PIPELINE["quick_backoff"]
    waits = [first * 2 ** (attempt - 1) for attempt in range(1, attempts)]  # before jitter

    assert 2 <= attempts <= 3
    assert sum(waits) <= 30


def test_a_permanent_failure_is_not_retried(site):
    source = submitted(site, "/404?case=permanent")

    assert run_stage(source.pk, Stage.FETCH) == Status.FAILED

    source.refresh_from_db()
    assert (source.failure_code, source.failure_message, source.attempts) == (
        "http_404",
        "HTTP 404",
        0,
    )


def test_a_link_submitted_while_its_host_is_busy_is_due_at_its_own_slot(site, settings):
    settings.SPYGLASS_PIPELINE = {**settings.SPYGLASS_PIPELINE, "host_delay": 30.0}
    first = submitted(site, "/ok?case=polite-1")
    second = submitted(site, "/ok?case=polite-2")

    assert run_stage(first.pk, Stage.FETCH) == Status.QUEUED  # fetched, now due to extract
    # Its task is sent due at its slot, one delay after the first fetch; run early (a
    # duplicate message), it does nothing.
    assert run_stage(second.pk, Stage.FETCH) is None

    second.refresh_from_db()
    assert (second.status, second.stage, second.attempts) == (Status.QUEUED, Stage.FETCH, 0)
    assert site.hits("/ok", case="polite-2") == []
    wait = (second.next_attempt_at - timezone.now()).total_seconds()
    assert 28 < wait <= 30
    assert second.fetch_slot == second.next_attempt_at


def test_a_fetch_without_a_slot_waits_for_one_without_an_attempt(site, settings):
    """A re-ingest or a slot gone stale: the fetch reserves when it runs, and is put back
    once, due at its slot."""
    settings.SPYGLASS_PIPELINE = {**settings.SPYGLASS_PIPELINE, "host_delay": 30.0}
    first = submitted(site, "/ok?case=unslotted-1")
    second = submitted(site, "/ok?case=unslotted-2")
    Source.objects.update(fetch_slot=None, next_attempt_at=None)
    HostSlot.objects.all().delete()

    assert run_stage(first.pk, Stage.FETCH) == Status.QUEUED
    assert run_stage(second.pk, Stage.FETCH) == Status.QUEUED

    second.refresh_from_db()
    assert (second.status, second.stage, second.attempts) == (Status.QUEUED, Stage.FETCH, 0)
    assert site.hits("/ok", case="unslotted-2") == []
    wait = (second.next_attempt_at - timezone.now()).total_seconds()
    assert 28 < wait <= 30


def test_waiting_fetches_of_one_host_cost_one_task_each(site, settings):
    """Ten links on one host: each reserves its own slot when submitted, and its one task
    fetches at that slot without asking again."""
    settings.SPYGLASS_PIPELINE = {**settings.SPYGLASS_PIPELINE, "host_delay": 5.0}
    sources = [submitted(site, f"/ok?case=storm-{n}") for n in range(10)]
    slots = sorted(Source.objects.values_list("fetch_slot", flat=True))

    # Time passes: each becomes due at its slot, and its task runs then.
    now = timezone.now()
    Source.objects.filter(next_attempt_at__isnull=False).update(next_attempt_at=now)
    Source.objects.update(fetch_slot=now)
    runs = [run_stage(source.pk, Stage.FETCH) for source in sources]

    assert runs == [Status.QUEUED] * 10  # one task per link, each fetched
    gaps = [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(slots)]
    assert [round(gap) for gap in gaps] == [5] * 9
    assert Source.objects.filter(stage=Stage.EXTRACT).count() == 10
    assert all(len(site.hits("/ok", case=f"storm-{n}")) == 1 for n in range(10))


@pytest.fixture
def backoff(settings, quick_retries):
    settings.SPYGLASS_PIPELINE = {
        **settings.SPYGLASS_PIPELINE,
        "backoff_base": 10.0,
        "backoff_max": 100.0,
    }


@pytest.mark.usefixtures("backoff")
@pytest.mark.parametrize(
    ("attempts", "low", "high"),
    [(1, 5, 10), (2, 10, 20), (3, 20, 40), (4, 40, 80), (5, 50, 100), (12, 50, 100)],
)
def test_backoff_doubles_with_jitter_up_to_the_cap(attempts, low, high):
    delays = [backoff_seconds(attempts) for _ in range(200)]

    assert all(low <= delay <= high for delay in delays)
    assert len(set(delays)) > 1  # jitter: workers retrying together spread out


@pytest.mark.usefixtures("backoff")
@pytest.mark.parametrize(("retry_after", "delay"), [(7.0, 7.0), (0.0, 0.0), (3600.0, 100.0)])
def test_retry_after_replaces_the_backoff_within_the_cap(retry_after, delay):
    assert backoff_seconds(1, retry_after) == delay
    assert backoff_seconds(4, retry_after) == delay
