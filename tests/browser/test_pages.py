"""Every main page at phone width: no sideways scrolling, every control named, screenshots.

The screenshots (375 and 1280 px wide) in test-artifacts/screenshots/test_page_*/ are for a
person to look at; the assertions catch what can be measured.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.clusters.models import Cluster, ClusterMember
from apps.clusters.services import cluster_refresh
from apps.feeds.models import Feed, FeedEntry
from apps.knowledge.models import Theme
from apps.sources.models import Source
from tests.accounts.factories import UserFactory
from tests.browser.checks import (
    assert_contrast,
    assert_controls_named,
    assert_fits,
    assert_focus_visible,
)
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import (
    BehaviorFactory,
    IssueFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    TechnologyFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.browser

LONG_URL = "https://news.example.com/" + "a-very-long-path-segment-without-breaks-" * 6 + "end"


def sample_data() -> dict:
    """A little of everything, with the long words and URLs that break layouts."""
    theme = ThemeFactory(name="decentralised energy storage for coastal communities")
    other = ThemeFactory(name="tidal power")
    source = SourceFactory(
        title="Tidal batteries reach small harbour towns along the northern coast",
        url=LONG_URL,
        canonical_url=LONG_URL,
        author="Mara Quint",
    )
    SourceThemeFactory(source=source, theme=theme)
    SourceThemeFactory(source=source, theme=other)
    signal = SignalFactory(
        source=source,
        name="Fishing cooperatives finance community batteries",
        relevancy=5,
        description="Cooperatives of fishermen and shop owners buy shares in batteries.",
    )
    SignalThemeFactory(signal=signal, theme=theme)
    BehaviorFactory(source=source, name="Households cook when the boats return")
    TechnologyFactory(source=source, name="Slow-turning estuary turbines")
    IssueFactory(source=source, name="Maintenance in salt water")
    SourceFactory(title="A page that would not load", status=Source.Status.FAILED)
    ThemeFactory(name="ocean desalination", status=Theme.Status.PROPOSED)
    harbour = SourceFactory(title="Harbour storage cooperatives multiply along the coast")
    twin = SignalFactory(source=harbour, name="Harbour towns share batteries", relevancy=4)
    cluster = Cluster.objects.create(
        name="Coastal towns buy batteries together", method="wordllama"
    )
    for item in (signal, twin):
        ClusterMember.objects.create(cluster=cluster, signal=item, similarity=0.71)
    return {
        "source": source,
        "theme": theme,
        "cluster": cluster_refresh(cluster=cluster),
        "feed": _sample_feed(source, theme),
    }


def _sample_feed(source: Source, theme: Theme) -> Feed:
    """A failing feed with a long address, a long error, a named feed and one entry."""
    feed = Feed.objects.create(
        url=LONG_URL + "/feed.xml",
        canonical_url=LONG_URL + "/feed.xml",
        title="Tidal batteries reach small harbour towns: the weekly",
        theme=theme,
        last_success_at=timezone.now(),
        last_error_at=timezone.now(),
        last_error=f"this is a web page, not a feed; the page names a feed at {LONG_URL}/rss",
        suggested_url=LONG_URL + "/rss",
        failures=2,
    )
    FeedEntry.objects.create(
        feed=feed,
        canonical_url=source.canonical_url,
        url=source.url,
        title=source.title,
        source=source,
        created_source=True,
    )
    return feed


# (screenshot name, URL name, arguments from the sample data)
PAGES = [
    ("dashboard", "dashboard", None),
    ("explore", "explore:index", None),
    ("sources", "sources:list", None),
    ("source-detail", "sources:detail", lambda data: [data["source"].pk]),
    ("themes", "knowledge:theme_index", None),
    ("theme", "knowledge:theme", lambda data: [data["theme"].slug]),
    ("proposed", "knowledge:theme_proposed", None),
    ("clusters", "clusters:index", None),
    ("cluster", "clusters:detail", lambda data: [data["cluster"].pk]),
    ("submit", "sources:submit", None),
    ("pipeline", "sources:pipeline", None),
    ("feeds", "feeds:list", None),
    ("feed", "feeds:detail", lambda data: [data["feed"].pk]),
    ("account-settings", "accounts:settings", None),
    ("digest", "digests:digest", None),
    ("digest-settings", "digests:settings", None),
    ("trends", "trends:index", None),
    ("emerging", "trends:emerging", None),
    ("radar", "radar:index", None),
]


# Disclosures that load nothing are opened, so their controls are checked and seen too.
OPEN_DETAILS_JS = "document.querySelectorAll('details:not([hx-get])').forEach(d => d.open = true)"


def check(page, screenshot, name: str) -> None:
    expect(page.locator("main")).to_be_visible()
    page.evaluate(OPEN_DETAILS_JS)
    screenshot(page, f"{name} phone")
    assert_fits(page)
    assert_controls_named(page)
    assert_contrast(page)
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{name} desktop")
    assert_controls_named(page)
    assert_focus_visible(page)


@pytest.mark.parametrize(("name", "url_name", "args"), PAGES, ids=[p[0] for p in PAGES])
def test_page_fits_a_phone_and_names_its_controls(
    new_page, login, screenshot, name, url_name, args
):
    data = sample_data()
    url = reverse(url_name, args=args(data) if args else None)
    page = new_page(PHONE)
    login(page, UserFactory(username="erin", role="editor"), next_url=url)

    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    check(page, screenshot, name)


def test_login_page_fits_a_phone_and_names_its_controls(new_page, screenshot):
    page = new_page(PHONE)
    page.goto(reverse("accounts:login"))
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the error message shows too
    check(page, screenshot, "login")


EMPTY_PAGES = [
    "dashboard",
    "explore:index",
    "sources:list",
    "knowledge:theme_index",
    "digests:digest",
    "clusters:index",
    "trends:index",
    "trends:emerging",
    "radar:index",
]


def test_empty_pages_fit_a_phone_and_point_somewhere(new_page, login, screenshot):
    page = new_page(PHONE)
    login(page, UserFactory(username="erin", role="editor"))
    for url_name in EMPTY_PAGES:
        page.goto(reverse(url_name))
        expect(page.locator("main")).to_be_visible()
        assert_fits(page)
        assert_controls_named(page)
        # An empty state says what to do next: there is a link to follow in the content.
        expect(page.locator("main a").first).to_be_visible()
        screenshot(page, f"empty {url_name}")
    page.goto("/no-such-page/")
    assert_fits(page)
    screenshot(page, "not found")
