"""Following one paste of links in the browser, with a real worker and a real site.

Links served by a local HTTP server succeed, missing pages fail (404), and some links are
already in Spyglass. The summary at the top must count them live to the final numbers and
then stop polling; the pasted list is folded; the known links are one line with one
re-ingest button, which works. Screenshots: test-artifacts/screenshots/<test>/.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.sources.models import Source
from tests.accounts.factories import UserFactory
from tests.browser.checks import assert_contrast, assert_controls_named, assert_fits
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import SourceFactory
from tests.support.broker import purge_broker
from tests.support.http import serving
from tests.support.worker import PIPELINE_QUEUES, Worker, allowed_addresses, pipeline_env

pytestmark = [pytest.mark.browser, pytest.mark.worker]

# A worker fetches, extracts and classifies each link: far slower than a page update.
PIPELINE_MS = 90_000
OPEN_DETAILS_JS = "document.querySelectorAll('details').forEach(d => d.open = true)"


@pytest.fixture
def site():
    with serving() as running:
        yield running


@pytest.fixture
def worker(transactional_db, site, tmp_path, settings):
    # The live server refuses loopback links at submit unless the site's port is allowed,
    # as the worker's own settings allow it (pipeline_env).
    settings.SPYGLASS_FETCH = {
        **settings.SPYGLASS_FETCH,
        "allowed_addresses": allowed_addresses(site.port),
    }
    purge_broker()
    running = Worker(tmp_path / "worker.log", queues=PIPELINE_QUEUES, env=pipeline_env(site.port))
    yield running
    running.kill()
    purge_broker()
    print(f"--- worker log\n{running.output()}")  # shown by pytest when the test failed


def _long(site, path: str, n: int) -> str:
    """Links as long as the ones people paste, so the layout meets them."""
    return site.url(f"{path}-{n}-of-a-long-list-of-pasted-links-from-a-newsletter.html")


def test_a_paste_is_followed_live_to_the_end(new_page, login, screenshot, site, worker):
    works = [site.url(f"/ok?n={n}") for n in range(3)]
    missing = [_long(site, "/missing", n) for n in range(3)]
    known = [site.url(f"/ok?known={n}") for n in range(3)]
    for url in known:
        SourceFactory(url=url, canonical_url=url, title=f"Known page {url[-1]}")
    page = new_page()
    login(page, UserFactory(username="ana", role="analyst"), next_url=reverse("sources:submit"))
    screenshot(page, "the submit page before")

    page.get_by_label("Links, one per line").fill("\n".join(works + missing + known))
    polls = []
    page.on("request", lambda r: polls.append(r.url) if "/submit/recent/" in r.url else None)
    page.get_by_role("button", name="Submit links").click()

    progress = page.locator("#progress .progress-line")
    expect(progress).to_contain_text("of 9 done")
    screenshot(page, "right after submitting", full_page=False)
    # The pasted list is folded: its lines are not shown until asked for.
    new_links = page.locator("details", has=page.get_by_text("6 new links queued"))
    expect(new_links).not_to_have_attribute("open", re.compile(".*"))
    expect(new_links.get_by_role("link").first).to_be_hidden()
    # The known links: one line, one button for all of them, no button per link.
    expect(page.get_by_text("3 links were already in Spyglass")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Re-ingest|Retry"))).to_have_count(1)

    expect(progress).to_have_text("6 of 9 done, 3 failed", timeout=PIPELINE_MS)
    expect(page.locator("#progress")).to_contain_text("Every link of this paste has finished.")
    assert Source.objects.filter(status=Source.Status.FAILED).count() == 3
    screenshot(page, "every link finished")
    # Polling has stopped: no request for the list in the next polling periods.
    seen = len(polls)
    assert seen > 0, "the page never polled"
    page.wait_for_timeout(4_500)
    assert len(polls) == seen

    page.get_by_role("button", name="Re-ingest these 3").click()
    expect(
        page.get_by_text("3 links queued again: the progress above follows them.")
    ).to_be_visible()
    expect(progress).to_have_text("6 of 9 done, 3 failed", timeout=PIPELINE_MS)
    assert [len(site.hits("/ok", known=str(n))) for n in range(3)] == [1, 1, 1]
    assert len(polls) > seen  # the re-ingest started the polling again
    screenshot(page, "after re-ingest")

    page.set_viewport_size(PHONE)
    page.evaluate(OPEN_DETAILS_JS)
    assert_fits(page)
    assert_controls_named(page)
    assert_contrast(page)
    screenshot(page, "finished, lists opened")

    page.set_viewport_size(DESKTOP)
    page.goto(reverse("dashboard"))
    expect(page.locator("#dashboard-failed")).to_have_text("3 failed in the last day: see Pipeline")
    expect(page.get_by_text("missing-0-of-a-long-list")).to_have_count(0)
    screenshot(page, "dashboard after the paste")
    page.set_viewport_size(PHONE)
    assert_fits(page)
    screenshot(page, "dashboard after the paste")
