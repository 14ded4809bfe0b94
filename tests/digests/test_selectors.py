"""The digest on known data: threshold, period, the explorer's theme rule, grouping."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.models import Origin
from apps.digests.models import DigestPreference
from apps.digests.sections import SECTION_LIMIT
from apps.digests.selectors import digest_for
from apps.digests.services import theme_follow
from tests.digests.conftest import signal_on
from tests.factories import SignalFactory, SignalThemeFactory, ThemeFactory


def names(digest) -> dict[str, list[str]]:
    """Theme name -> item names, for each group of the signals section."""
    section = next(section for section in digest.sections if section.key == "signals")
    return {group.theme.name: [item.name for item in group.items] for group in section.groups}


def test_nothing_without_followed_themes(rita, tidal):
    signal_on(tidal, name="Tidal batteries")

    digest = digest_for(rita)

    assert digest.themes == []
    assert digest.is_empty


def test_only_signals_at_or_above_the_users_relevancy(rita, tidal):
    theme_follow(user=rita, theme=tidal)
    for relevancy in (3, 4, 5):
        signal_on(tidal, relevancy=relevancy, name=f"rated {relevancy}")

    assert names(digest_for(rita)) == {"tidal power": ["rated 5", "rated 4"]}

    DigestPreference.objects.create(user=rita, min_relevancy=5)
    assert names(digest_for(rita)) == {"tidal power": ["rated 5"]}


def test_only_signals_added_in_the_period_newest_first(rita, tidal):
    theme_follow(user=rita, theme=tidal)
    signal_on(tidal, days_ago=2, name="two days")
    signal_on(tidal, days_ago=10, name="ten days")
    signal_on(tidal, days_ago=40, name="forty days")

    assert names(digest_for(rita)) == {"tidal power": ["two days"]}  # first digest: 7 days
    assert names(digest_for(rita, days=30)) == {"tidal power": ["two days", "ten days"]}


def test_the_window_starts_at_the_last_digest(rita, tidal):
    theme_follow(user=rita, theme=tidal)
    signal_on(tidal, days_ago=3, name="before the digest")
    signal_on(tidal, days_ago=1, name="after the digest")
    last = timezone.now() - timedelta(days=2)
    DigestPreference.objects.create(user=rita, last_sent_at=last)

    digest = digest_for(rita)

    assert names(digest) == {"tidal power": ["after the digest"]}
    assert digest.since == last
    assert digest.since_label == "since your last digest"


def test_a_signal_carries_its_sources_theme_as_in_the_explorer(rita, tidal):
    theme_follow(user=rita, theme=tidal)
    signal_on(tidal, name="own link")
    signal_on(tidal, name="source's link", through_source=True)
    SignalFactory(relevancy=5, name="unlinked")

    assert names(digest_for(rita)) == {"tidal power": ["source's link", "own link"]}


def test_a_signal_on_two_followed_themes_shows_under_each_and_counts_once(rita, tidal, coastal):
    theme_follow(user=rita, theme=tidal)
    theme_follow(user=rita, theme=coastal)
    both = signal_on(tidal, name="both")
    SignalThemeFactory(signal=both, theme=coastal)
    signal_on(coastal, days_ago=2, name="coastal only")

    digest = digest_for(rita)

    assert names(digest) == {"coastal towns": ["both", "coastal only"], "tidal power": ["both"]}
    assert digest.total == 2


def test_machine_drafts_stay_out(rita, tidal, settings):
    settings.SPYGLASS_DRAFT_CONFIDENCE = 0.5
    theme_follow(user=rita, theme=tidal)
    signal_on(tidal, name="unsure", origin=Origin.AI, confidence=0.2)
    signal_on(tidal, name="sure", origin=Origin.AI, confidence=0.9)

    assert names(digest_for(rita)) == {"tidal power": ["sure"]}


def test_items_link_to_the_signal_on_its_source_page(rita, tidal):
    theme_follow(user=rita, theme=tidal)
    signal = signal_on(tidal, name="Tidal batteries")

    (item,) = digest_for(rita).sections[0].groups[0].items

    assert item.url == f"/sources/{signal.source_id}/#signals-{signal.pk}"
    assert "relevancy 5" in item.facts


def test_a_long_digest_is_cut_and_says_how_many_there_are(rita, tidal):
    theme_follow(user=rita, theme=tidal)
    for n in range(SECTION_LIMIT + 2):
        signal_on(tidal, name=f"signal {n}")

    section = digest_for(rita).sections[0]  # new signals; growing clusters come second

    assert (section.total, section.shown) == (SECTION_LIMIT + 2, SECTION_LIMIT)
    assert "/explore/signals/?theme=tidal-power" in section.more_url


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as queries:
        digest_for(user)
    return len(queries)


def test_the_digest_runs_the_same_queries_for_1_or_30_signals_on_1_or_6_themes(rita, tidal):
    theme_follow(user=rita, theme=tidal)
    signal_on(tidal)
    small = _queries(rita)
    for n in range(5):
        theme = ThemeFactory()
        theme_follow(user=rita, theme=theme)
        for _ in range(6):
            signal_on(theme, through_source=n % 2 == 0)

    assert _queries(rita) == small == 7  # 6 for the signals, 1 for growing clusters


def test_clusters_that_grew_on_a_followed_theme_are_listed(rita, tidal, coastal):
    from apps.clusters.models import Cluster, ClusterMember

    theme_follow(user=rita, theme=tidal)
    grown = Cluster.objects.create(name="Tidal storage spreads", method="test", source_count=2)
    elsewhere = Cluster.objects.create(name="Coastal retreat", method="test", source_count=2)
    for cluster, theme in ((grown, tidal), (elsewhere, coastal)):
        for _ in range(2):
            ClusterMember.objects.create(cluster=cluster, signal=signal_on(theme), similarity=0.8)

    digest = digest_for(rita)

    section = next(section for section in digest.sections if section.key == "clusters")
    (group,) = section.groups
    assert [item.name for item in group.items] == ["Tidal storage spreads"]
    assert group.items[0].url == f"/clusters/{grown.pk}/"
    assert group.items[0].facts[0] == "2 new signals"
