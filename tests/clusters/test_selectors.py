"""Reads other apps use: growing clusters (for digests) and a theme's strongest clusters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.clusters.models import ClusterMember
from apps.clusters.selectors import growing_clusters, theme_clusters
from tests.clusters.test_views import make_cluster
from tests.factories import SignalFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_growing_clusters_are_those_gaining_members_since_the_date_on_the_themes():
    theme = ThemeFactory(name="grids")
    week_ago = timezone.now() - timedelta(days=7)
    old = make_cluster("Old news", theme=theme)
    ClusterMember.objects.filter(cluster=old).update(added_at=week_ago - timedelta(days=30))
    growing = make_cluster("Growing", theme=theme)
    ClusterMember.objects.filter(cluster=growing).update(added_at=week_ago - timedelta(days=30))
    ClusterMember.objects.create(cluster=growing, signal=SignalFactory())
    make_cluster("Other theme", theme=ThemeFactory(name="other"))

    found = growing_clusters(theme_ids=[theme.pk], since=week_ago, limit=10)

    assert [(c.name, c.new_members) for c in found] == [("Growing", 1)]
    everywhere = growing_clusters(theme_ids=None, since=week_ago, limit=10)
    assert {c.name for c in everywhere} == {"Growing", "Other theme"}


def test_a_themes_strongest_clusters_come_first_and_are_capped():
    theme = ThemeFactory(name="capped")
    for n in range(7):
        make_cluster(f"C{n}", members=2 + n % 3, theme=theme)

    found = theme_clusters(theme, limit=5)

    assert len(found) == 5
    assert [c.strength for c in found] == sorted((c.strength for c in found), reverse=True)
