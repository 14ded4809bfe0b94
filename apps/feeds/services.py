"""Writes to feeds: subscribing, pausing, resuming, deleting, OPML import (polls: polling.py).

Views, commands and tasks all come through here (docs/feeds.md).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.access import can_edit
from apps.feeds.models import Feed
from apps.feeds.opml import Refused, opml_read
from apps.knowledge.models import Theme
from apps.knowledge.services import existing_theme
from apps.knowledge.vocabulary import name_key
from apps.sources.admission import submittable_url
from apps.sources.canonical import InvalidURL


class FeedInputError(ValueError):
    """A subscription that cannot be made; the message says why in plain words."""


def _config() -> dict:
    return settings.SPYGLASS_FEEDS


def check_interval(minutes: int | None) -> int:
    config = _config()
    if minutes is None:
        return config["default_interval"]
    low, high = config["min_interval"], config["max_interval"]
    if not low <= minutes <= high:
        raise FeedInputError(f"the interval must be from {low} to {high} minutes (not {minutes})")
    return minutes


def theme_named(name: str) -> Theme | None:
    """An approved theme by name or alias; subscribing never creates themes (editors do)."""
    name = name.strip()
    if not name:
        return None
    theme = existing_theme(name_key(name))
    if theme is None or theme.status != Theme.Status.APPROVED:
        raise FeedInputError(f"there is no approved theme named “{name}”")
    return theme


def feed_subscribe(
    *, url: str, user=None, interval_minutes: int | None = None, theme_name: str = ""
) -> Feed:
    """A new subscription, due for its first poll now. Raises FeedInputError."""
    try:
        canonical = submittable_url(url)
    except InvalidURL as error:
        raise FeedInputError(str(error)) from None
    interval = check_interval(interval_minutes)
    theme = theme_named(theme_name)
    existing = Feed.objects.filter(canonical_url=canonical).select_related("subscribed_by").first()
    if existing is not None:
        raise FeedInputError(_already(existing))
    try:
        with transaction.atomic():
            feed = Feed.objects.create(
                url=url.strip(),
                canonical_url=canonical,
                interval_minutes=interval,
                theme=theme,
                subscribed_by=user,
                next_poll_at=timezone.now(),
            )
            _send_poll(feed.pk)
    except IntegrityError:  # two people adding the same feed at once
        raise FeedInputError(_already(Feed.objects.get(canonical_url=canonical))) from None
    return feed


def _already(feed: Feed) -> str:
    who = feed.subscribed_by.get_username() if feed.subscribed_by else "someone"
    return f"this feed is already subscribed (by {who}, on {feed.created_at:%Y-%m-%d})"


def _send_poll(feed_id: int, *, force: bool = False) -> None:
    from apps.feeds import tasks  # tasks import this module

    kwargs = {"feed_id": feed_id, "force": force}
    transaction.on_commit(lambda: tasks.poll.apply_async(kwargs=kwargs))


def check_manager(feed: Feed, user) -> None:
    """The subscriber or an editor may pause, resume or delete; `user=None` is the system."""
    if user is None or can_edit(user) or (user.pk and feed.subscribed_by_id == user.pk):
        return
    raise PermissionDenied("Only the feed's subscriber or an editor may change it.")


def feed_pause(feed: Feed, *, user=None) -> None:
    check_manager(feed, user)
    Feed.objects.filter(pk=feed.pk).update(paused=True)


def feed_resume(feed: Feed, *, user=None) -> None:
    """Polled again from now; a feed that failed starts over without its backoff."""
    check_manager(feed, user)
    Feed.objects.filter(pk=feed.pk).update(paused=False, next_poll_at=timezone.now(), failures=0)


def feed_poll_soon(feed: Feed, *, user=None) -> None:
    """Queue a poll now, due or not (paused too); a poll already running is not doubled."""
    check_manager(feed, user)
    with transaction.atomic():
        _send_poll(feed.pk, force=True)


def feed_delete(feed: Feed, *, user=None) -> None:
    """The subscription and its entry list go; the sources it brought stay."""
    check_manager(feed, user)
    feed.delete()


def feed_adopt_suggestion(feed: Feed, *, user=None) -> Feed:
    """Poll the feed an HTML page named instead of the page. Raises FeedInputError."""
    check_manager(feed, user)
    if not feed.suggested_url:
        raise FeedInputError("this feed has no other address to use")
    try:
        canonical = submittable_url(feed.suggested_url)
    except InvalidURL as error:
        raise FeedInputError(str(error)) from None
    other = Feed.objects.filter(canonical_url=canonical).exclude(pk=feed.pk).first()
    if other is not None:
        raise FeedInputError(_already(other))
    try:
        with transaction.atomic():
            Feed.objects.filter(pk=feed.pk).update(
                url=feed.suggested_url,
                canonical_url=canonical,
                suggested_url="",
                etag="",
                last_modified="",
                failures=0,
                next_poll_at=timezone.now(),
            )
            _send_poll(feed.pk)
    except IntegrityError:  # someone subscribed that address meanwhile
        raise FeedInputError(_already(Feed.objects.get(canonical_url=canonical))) from None
    feed.refresh_from_db()
    return feed


# --- OPML -----------------------------------------------------------------------------


@dataclass
class OpmlImport:
    subscribed: list[Feed] = field(default_factory=list)
    refused: list = field(default_factory=list)  # opml.Refused


def feeds_import_opml(data: bytes, *, user=None) -> OpmlImport:
    """Subscribe to every feed of an OPML file; refused lines say why, the rest go ahead.

    Raises OpmlError when the file as a whole is not OPML."""
    read = opml_read(data)
    result = OpmlImport(refused=list(read.refused))
    for outline in read.outlines:
        try:
            feed = feed_subscribe(
                url=outline.url,
                user=user,
                interval_minutes=outline.interval,
                theme_name=outline.theme,
            )
        except FeedInputError as error:
            result.refused.append(Refused(outline.line, outline.url, str(error)))
            continue
        if outline.title:
            Feed.objects.filter(pk=feed.pk).update(title=outline.title[:300])
        result.subscribed.append(feed)
    result.refused.sort(key=lambda refused: refused.line)
    return result
