"""Reads for cluster pages, theme pages and digests."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from apps.clusters.models import Cluster, ClusterMember
from apps.core.audit import history_for
from apps.knowledge.models import SignalTheme, Theme
from apps.sources.models import SourceTheme


def _theme_q(theme_ids) -> Q:
    """Clusters with a member whose signal, or the signal's source, carries one of the themes."""
    signal_links = SignalTheme.objects.filter(theme__in=theme_ids, signal=OuterRef("signal"))
    source_links = SourceTheme.objects.filter(
        theme__in=theme_ids, source=OuterRef("signal__source")
    )
    carrying = ClusterMember.objects.filter(Exists(signal_links) | Exists(source_links))
    return Q(pk__in=carrying.values("cluster"))


def ranked_clusters(*, theme: Theme | None = None) -> QuerySet[Cluster]:
    """Clusters, strongest evidence first; only those touching `theme` when given."""
    clusters = Cluster.objects.defer("centroid").annotate(member_count=Count("members"))
    if theme is not None:
        clusters = clusters.filter(_theme_q([theme.pk]))
    return clusters.order_by("-strength", "-evidence_at", "-id")


def theme_clusters(theme: Theme, *, limit: int = 5) -> list[Cluster]:
    """A theme's strongest clusters, for its page."""
    return list(ranked_clusters(theme=theme)[:limit])


def cluster_for_page(cluster_id: int) -> QuerySet[Cluster]:
    return Cluster.objects.defer("centroid").filter(pk=cluster_id)


HISTORY = 20  # editors' latest actions shown on a cluster's page


@dataclass
class EvidenceRow:
    member: ClusterMember
    weight: float


def cluster_page(cluster: Cluster) -> dict:
    """What the cluster page shows: the evidence (members with their sources) and themes."""
    from django.utils import timezone

    from apps.clusters.evidence import weight
    from apps.clusters.services import evidence_of

    members = list(
        cluster.members.select_related("signal__source")
        .prefetch_related(
            Prefetch("signal__themes", queryset=Theme.objects.order_by("name")),
            Prefetch("signal__source__themes", queryset=Theme.objects.order_by("name")),
        )
        .order_by("signal__source__published_on", "added_at", "id")
    )
    today = timezone.localdate()
    rows = [EvidenceRow(m, round(weight(evidence_of(m), today), 2)) for m in members]
    themes = {}
    for m in members:
        for theme in (*m.signal.themes.all(), *m.signal.source.themes.all()):
            themes[theme.pk] = theme
    return {
        "cluster": cluster,
        "rows": rows,
        "history": list(history_for(cluster)[:HISTORY]),
        "themes": sorted(themes.values(), key=lambda t: t.name.lower()),
    }


def growing_clusters(*, theme_ids=None, since: datetime, limit: int = 10) -> list[Cluster]:
    """Clusters that gained members since `since`, on these themes (every theme when None),
    the most new members first, then the strongest. Each has `new_members`."""
    clusters = (
        Cluster.objects.defer("centroid")
        .annotate(new_members=Count("members", filter=Q(members__added_at__gte=since)))
        .filter(new_members__gt=0)
    )
    if theme_ids is not None:
        clusters = clusters.filter(_theme_q(list(theme_ids)))
    return list(clusters.order_by("-new_members", "-strength", "-id")[:limit])
