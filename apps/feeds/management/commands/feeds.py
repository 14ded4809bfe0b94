"""`manage.py feeds`: subscribe, list, poll, remove, and OPML in and out (docs/feeds.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.feeds import polling, services
from apps.feeds.models import Feed
from apps.feeds.opml import OpmlError, opml_write
from apps.feeds.selectors import feed_list
from apps.sources.admission import submittable_url
from apps.sources.canonical import InvalidURL


class Command(BaseCommand):
    help = (
        "RSS and Atom feeds: `add URL [--interval MINUTES] [--theme NAME]`, `list`, "
        "`poll [--sync] [FEED]`, `remove FEED`, `import-opml FILE`, `export-opml [FILE]`. "
        "FEED is a feed's number (see `list`) or its URL."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        add = actions.add_parser("add", help="subscribe to a feed; its first poll is queued")
        add.add_argument("url")
        add.add_argument("--interval", type=int, metavar="MINUTES", help="how often to poll")
        add.add_argument("--theme", default="", metavar="NAME", help="an approved theme")
        actions.add_parser("list", help="every feed with its state")
        poll = actions.add_parser("poll", help="poll due feeds (or one feed, due or not)")
        poll.add_argument("feed", nargs="?", metavar="FEED")
        poll.add_argument("--sync", action="store_true", help="poll here and now, not by tasks")
        remove = actions.add_parser("remove", help="unsubscribe (the sources it brought stay)")
        remove.add_argument("feed", metavar="FEED")
        opml_in = actions.add_parser("import-opml", help="subscribe to every feed of a file")
        opml_in.add_argument("file")
        opml_out = actions.add_parser("export-opml", help="write every feed as OPML")
        opml_out.add_argument("file", nargs="?", help="where to write (default: standard output)")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action.replace('-', '_')}")(**options)
        except (services.FeedInputError, OpmlError) as error:
            raise CommandError(str(error)) from None

    def _add(self, *, url, interval, theme, **_):
        feed = services.feed_subscribe(url=url, interval_minutes=interval, theme_name=theme)
        self.stdout.write(f"Subscribed to {feed.url} as feed {feed.pk}; its first poll is queued.")

    def _list(self, **_):
        feeds = feed_list()
        if not feeds:
            self.stdout.write("No feeds.")
        for feed in feeds:
            state = "paused" if feed.paused else f"next poll {feed.next_poll_at:%Y-%m-%d %H:%M}"
            success = f"{feed.last_success_at:%Y-%m-%d %H:%M}" if feed.last_success_at else "never"
            self.stdout.write(
                f"{feed.pk}\t{feed.url}\tevery {feed.interval_minutes} min\t{state}\t"
                f"last success {success}\t{feed.entries_seen} entries submitted"
            )
            if feed.last_error:
                self.stdout.write(f"\terror: {feed.last_error}")

    def _poll(self, *, feed, sync, **_):
        target = _feed(feed) if feed else None
        if not sync:
            if target:
                services.feed_poll_soon(target)
                self.stdout.write(f"A poll of feed {target.pk} is queued.")
            else:
                self.stdout.write(f"{len(polling.feeds_poll_due())} due feeds queued for a poll.")
            return
        ids = [target.pk] if target else polling.due_feed_ids()
        if not ids:
            self.stdout.write("No feed is due.")
        for feed_id in ids:
            outcome = polling.feed_poll(feed_id, force=target is not None)
            self.stdout.write(_describe(outcome))

    def _remove(self, *, feed, **_):
        target = _feed(feed)
        services.feed_delete(target)
        self.stdout.write(f"Unsubscribed from {target.url}; the sources it brought stay.")

    def _import_opml(self, *, file, **_):
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        result = services.feeds_import_opml(data)
        for refused in result.refused:
            self.stderr.write(f"line {refused.line}: {refused.text}: {refused.reason}")
        self.stdout.write(
            f"{len(result.subscribed)} feeds subscribed, {len(result.refused)} refused."
        )

    def _export_opml(self, *, file, **_):
        data = opml_write(feed_list())
        if file:
            Path(file).write_bytes(data)
            self.stdout.write(f"{Feed.objects.count()} feeds written to {file}.")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")


def _feed(key: str) -> Feed:
    """A feed by number or URL."""
    if key.isdigit():
        feed = Feed.objects.filter(pk=int(key)).first()
    else:
        try:
            feed = Feed.objects.filter(canonical_url=submittable_url(key)).first()
        except InvalidURL as error:
            raise CommandError(str(error)) from None
    if feed is None:
        raise CommandError(f"no feed {key}: `manage.py feeds list` shows them")
    return feed


def _describe(outcome: polling.PollOutcome) -> str:
    if outcome.status == "new":
        return (
            f"feed {outcome.feed_id}: {outcome.entries} entries, "
            f"{outcome.new_entries} new submitted"
            + (f", {len(outcome.skipped)} skipped" if outcome.skipped else "")
        )
    detail = f": {outcome.message}" if outcome.message else ""
    return f"feed {outcome.feed_id}: {outcome.status}{detail}"
