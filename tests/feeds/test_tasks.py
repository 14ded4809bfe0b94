"""The beat's round and the poll task, down to a real worker turning a feed into sources."""

import pytest

from apps.feeds import tasks
from apps.feeds.models import Feed, FeedEntry
from apps.feeds.polling import feeds_poll_due
from apps.feeds.services import feed_subscribe
from apps.sources.models import Source
from config.celery import app
from tests.feeds.conftest import make_feed
from tests.support.broker import purge_broker, waiting_messages
from tests.support.worker import PIPELINE_QUEUES, Worker, pipeline_env, wait_until


@pytest.fixture
def empty_broker():
    purge_broker()
    yield
    purge_broker()


def test_beat_runs_the_round_every_minute():
    entry = app.conf.beat_schedule["feeds-poll-due"]
    assert (entry["task"], entry["schedule"]) == ("feeds.poll_due", 60.0)
    assert {"feeds.poll_due", "feeds.poll"} <= set(app.tasks)
    assert app.amqp.router.route({}, "feeds.poll")["queue"].name == "fetch"


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_broker")
def test_the_round_sends_one_poll_per_due_feed(site):
    make_feed(site, "/rss.xml")
    make_feed(site, "/atom.xml")
    make_feed(site, "/rdf.xml", paused=True)

    assert len(feeds_poll_due()) == 2
    assert waiting_messages("fetch") == 2


@pytest.mark.django_db
def test_the_task_polls_once_and_then_finds_nothing_to_do(site):
    feed = make_feed(site, "/rss.xml")
    assert tasks.poll.run(feed_id=feed.pk) == "new"
    assert tasks.poll.run(feed_id=feed.pk) == "skipped"  # not due any more
    assert tasks.poll.run(feed_id=feed.pk + 1000) == "skipped"  # no such feed


def _feed_of_test_pages(site) -> None:
    items = "".join(
        f"<item><title>Page {n}</title><link>{site.url(f'/ok?key=feed-{n}')}</link></item>"
        for n in range(2)
    )
    body = f"<rss version='2.0'><channel><title>Local</title>{items}</channel></rss>"
    site.routes["/local.xml"] = lambda handler, query: handler.send(
        200, body, content_type="application/rss+xml"
    )


@pytest.mark.worker
@pytest.mark.usefixtures("empty_broker")
def test_a_subscribed_feed_becomes_ingested_sources_through_a_worker(
    transactional_db, site, tmp_path
):
    _feed_of_test_pages(site)
    worker = Worker(
        tmp_path / "worker.log", queues=("celery", *PIPELINE_QUEUES), env=pipeline_env(site.port)
    )
    try:
        feed = feed_subscribe(url=site.url("/local.xml"))  # its poll is sent on commit
        wait_until(lambda: Source.objects.filter(status=Source.Status.DONE).count() == 2, worker)
    finally:
        worker.kill()
        print(worker.output())
    feed = Feed.objects.get(pk=feed.pk)
    assert (feed.last_status, feed.entries_seen, feed.sources_created) == ("new", 2, 2)
    assert FeedEntry.objects.filter(source__via_url=feed.url).count() == 2
