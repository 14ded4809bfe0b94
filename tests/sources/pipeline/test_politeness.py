"""Per-host politeness: one reserved slot per fetch, shared by every worker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.sources.models import HostSlot, Source
from apps.sources.pipeline.politeness import (
    holds_slot,
    reserve,
    reserve_first_fetches,
    seconds_to_wait,
)
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_slots_on_one_host_are_one_delay_apart():
    now = timezone.now()

    starts = [reserve("news.example.com", 2.0, now) for _ in range(4)]

    assert [(start - now).total_seconds() for start in starts] == [0, 2, 4, 6]
    assert HostSlot.objects.get().next_free == now + timedelta(seconds=8)


def test_hosts_do_not_wait_for_each_other():
    now = timezone.now()

    assert reserve("a.example", 5.0, now) == reserve("b.example", 5.0, now) == now


def test_a_free_host_is_reserved_from_now_not_from_its_old_slot():
    long_ago = timezone.now() - timedelta(hours=1)
    HostSlot.objects.create(host="a.example", next_free=long_ago)
    now = timezone.now()

    assert reserve("a.example", 5.0, now) == now


def test_a_source_back_at_its_slot_fetches_without_reserving_again():
    source = SourceFactory(
        url="https://a.example/x", status=Source.Status.FETCHING, next_attempt_at=timezone.now()
    )
    HostSlot.objects.create(host="a.example", next_free=timezone.now() + timedelta(minutes=5))

    assert holds_slot(source, 5.0)
    assert seconds_to_wait(source, 5.0) == 0


@pytest.mark.parametrize(
    ("due", "failure", "holds"),
    [
        (None, "", False),  # new: reserve
        (timedelta(0), "timeout", False),  # a retry after a failure: reserve again
        (timedelta(minutes=-10), "", False),  # a reservation long past (a worker died)
        (timedelta(seconds=-3), "", True),
    ],
)
def test_which_sources_hold_their_slot(due, failure, holds):
    source = SourceFactory(
        next_attempt_at=None if due is None else timezone.now() + due, failure_code=failure
    )

    assert holds_slot(source, 5.0) is holds


@pytest.mark.parametrize(
    ("slot", "holds"),
    [
        (None, False),
        (timedelta(seconds=-29), True),  # a countdown task that started late behind others
        (timedelta(seconds=-31), False),  # gone stale: reserve again
    ],
)
def test_a_submitted_link_holds_the_slot_it_reserved(slot, holds):
    source = SourceFactory(fetch_slot=None if slot is None else timezone.now() + slot)

    assert holds_slot(source, 1.0) is holds


def test_links_submitted_together_reserve_slots_one_delay_apart():
    sources = [SourceFactory(url=f"https://a.example/{n}") for n in range(3)]

    sources.append(SourceFactory(url="https://b.example/elsewhere"))

    waits = reserve_first_fetches(sources, 2.0)

    assert [round(waits[source.pk]) for source in sources] == [0, 2, 4, 0]
    rows = Source.objects.order_by("pk").values_list("fetch_slot", "next_attempt_at")
    # The first goes at once (no due time); the others are due at their slots.
    assert [due is None for _, due in rows] == [True, False, False, True]
    assert all(due in (None, slot) for slot, due in rows)


def test_no_slot_is_reserved_without_a_host_delay():
    source = SourceFactory()

    assert reserve_first_fetches([source], 0) == {source.pk: 0}
    assert HostSlot.objects.count() == 0
