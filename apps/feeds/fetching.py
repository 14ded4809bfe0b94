"""Fetching a feed: the pipeline's guarded fetcher and host limiter, conditionally."""

import time
from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from apps.feeds.parsing import ACCEPT, FEED_TYPES, HTML_TYPES, LOOSE_TYPES, FeedError
from apps.sources.pipeline.failures import Blocked, Failure
from apps.sources.pipeline.fetch import FetchLimits, Page, fetch_page
from apps.sources.pipeline.politeness import host_of, reserve

READ_TYPES = frozenset(FEED_TYPES | HTML_TYPES | LOOSE_TYPES)
# A host slot this close is waited for in the task; a later one postpones the poll to it.
LONGEST_WAIT = 5.0


def feed_limits() -> FetchLimits:
    limits = FetchLimits.from_settings()
    return replace(limits, max_bytes=min(limits.max_bytes, settings.SPYGLASS_FEEDS["max_bytes"]))


def host_slot(url: str, now: datetime | None = None) -> datetime | None:
    """None when the poll may go now (after a short wait), else the slot to postpone to.

    The same per-host reservation as the pipeline's fetches (HostSlot), so a feed and the
    articles it brings never hit one host closer together than SPYGLASS_HOST_DELAY."""
    delay = settings.SPYGLASS_PIPELINE["host_delay"]
    if delay <= 0:
        return None
    now = now or timezone.now()
    start = reserve(host_of(url), delay, now)
    wait = (start - now).total_seconds()
    if wait > LONGEST_WAIT:
        return start
    if wait > 0:
        time.sleep(wait)
    return None


def fetch_feed(url: str, *, etag: str = "", last_modified: str = "") -> Page:
    """The feed's answer: a Page (status 304 and no body when unchanged); raises FeedError."""
    headers = {"Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    limits = feed_limits()
    try:
        return fetch_page(url, limits, headers=headers, accepted=READ_TYPES)
    except Failure as failure:
        raise FeedError(failure.code, _explain(failure, limits)) from None
    except Blocked as wall:  # a bot wall answered instead of the feed
        raise FeedError(wall.code, wall.message) from None


def _explain(failure: Failure, limits: FetchLimits) -> str:
    message = failure.message
    if failure.code == "too_large":
        size = round(limits.max_bytes / (1024 * 1024), 2)
        return f"the feed is larger than {size:g} MB, the most Spyglass reads of a feed"
    if failure.code == "unsupported_type":
        return f"not a feed: the server sent {message.removeprefix('unsupported type: ')}"
    if failure.code == "http_404":
        return "HTTP 404: there is no feed at this address (moved or removed?)"
    if failure.code == "http_410":
        return "HTTP 410: the feed was removed for good"
    if failure.code == "timeout":
        return f"timed out: the server did not send the feed within {limits.total_timeout:g} s"
    return message


def backoff(interval_minutes: int, failures: int) -> timedelta:
    """The interval, doubled for each failure in a row after the first, capped."""
    cap = settings.SPYGLASS_FEEDS["max_backoff_minutes"]
    minutes = interval_minutes * (2 ** max(0, min(failures - 1, 16)))
    return timedelta(minutes=min(max(minutes, interval_minutes), max(cap, interval_minutes)))
