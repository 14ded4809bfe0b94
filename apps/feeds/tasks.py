"""Celery tasks of the feeds: thin adapters around the services. Names are stable."""

from celery import shared_task

from apps.feeds.polling import feed_poll, feeds_poll_due


@shared_task(name="feeds.poll_due", soft_time_limit=50, time_limit=60)
def poll_due() -> int:
    """Send a poll for every due feed (beat, every minute)."""
    return len(feeds_poll_due())


@shared_task(name="feeds.poll", soft_time_limit=90, time_limit=120, acks_late=True)
def poll(*, feed_id: int, force: bool = False) -> str:
    """Poll one feed if it can be claimed; a no-op for one already polled or deleted."""
    return feed_poll(feed_id, force=force).status
