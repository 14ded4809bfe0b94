"""Machine clustering: vectors for signals, and each new or edited signal placed once.

Nothing here recomputes everything on a new signal: a signal is embedded once (again only
when its text or the method changes) and compared with one centroid per cluster and with a
bounded pool of recent unclustered signals. Editors' work is never undone: confirmed
clusters keep their members and names, editors' memberships never move (the machine may add
a new member to a confirmed cluster; it shows as the machine's).
"""

import logging
from datetime import date

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.clusters import embedding, grouping
from apps.clusters.evidence import Evidence, strength
from apps.clusters.models import Cluster, ClusterMember, NotSame, SignalVector
from apps.knowledge.models import Signal

log = logging.getLogger(__name__)
Machine = ClusterMember.AddedBy.MACHINE


def text_of(signal: Signal) -> str:
    return embedding.signal_text(signal.name, signal.description, signal.change)


def signals_embed(*, signals: list[Signal]) -> dict[int, np.ndarray]:
    """Vectors of these signals by the method in force, embedding only new or stale ones."""
    method = embedding.current_method()
    stored = {v.signal_id: v for v in SignalVector.objects.filter(signal__in=signals)}
    vectors, stale = {}, []
    for signal in signals:
        known = stored.get(signal.pk)
        if (
            known
            and known.method == method
            and known.text_hash == embedding.text_hash(text_of(signal))
        ):
            vectors[signal.pk] = embedding.from_bytes(known.vector)
        else:
            stale.append(signal)
    if stale:
        rows = embedding.embed([text_of(s) for s in stale])  # outside any transaction
        for signal, row in zip(stale, rows, strict=True):
            SignalVector.objects.update_or_create(
                signal=signal,
                defaults={
                    "method": method,
                    "text_hash": embedding.text_hash(text_of(signal)),
                    "vector": embedding.to_bytes(row),
                },
            )
            vectors[signal.pk] = row
    return vectors


def signals_place(*, signal_ids: list[int]) -> dict[str, int]:
    """Embed and place these signals (a source's, after classification); idempotent."""
    signals = list(
        Signal.objects.filter(pk__in=signal_ids).select_related("cluster_vector").order_by("pk")
    )
    hashes = {s.pk: _stored_hash(s) for s in signals}
    vectors = signals_embed(signals=signals)
    counts = {"joined": 0, "paired": 0, "alone": 0, "kept": 0}
    for signal in signals:
        # Edited since it was placed; a first vector is no edit (the signal may already be a
        # member: the partner an earlier signal of this batch paired with).
        edited = hashes[signal.pk] not in (None, embedding.text_hash(text_of(signal)))
        for attempt in range(2):  # another worker may take the same partner first
            try:
                with transaction.atomic():
                    outcome = _place_one(signal, vectors[signal.pk], edited=edited)
                break
            except IntegrityError:
                if attempt:
                    raise
        counts[outcome] += 1
    return counts


def _stored_hash(signal: Signal) -> str | None:
    try:
        vector = signal.cluster_vector
    except SignalVector.DoesNotExist:
        return None
    return vector.text_hash if vector.method == embedding.current_method() else None


def _place_one(signal: Signal, vector: np.ndarray, *, edited: bool) -> str:
    member = ClusterMember.objects.filter(signal=signal).select_related("cluster").first()
    if member is not None:
        movable = member.added_by == Machine and member.cluster.state == Cluster.State.PROPOSED
        if not (edited and movable):
            if edited:  # an editor's member, or in a confirmed cluster: stays, moves the centroid
                cluster_refresh(cluster=member.cluster)
            return "kept"
        cluster = member.cluster
        member.delete()
        cluster_refresh(cluster=cluster)
    method = embedding.current_method()
    blocked_signals = not_same_as(signal.pk)
    placement = grouping.place(
        vector,
        source=signal.source_id,
        clusters=[
            (pk, embedding.from_bytes(c))
            for pk, c in Cluster.objects.filter(method=method, centroid__isnull=False).values_list(
                "pk", "centroid"
            )
        ],
        pool=_pool(method, exclude=signal.pk),
        blocked_clusters=set(
            ClusterMember.objects.filter(signal__in=blocked_signals).values_list(
                "cluster", flat=True
            )
        ),
        blocked_signals=blocked_signals,
        threshold=embedding.threshold(),
    )
    if placement.cluster is not None:
        cluster = Cluster.objects.get(pk=placement.cluster)
        ClusterMember.objects.create(
            cluster=cluster, signal=signal, similarity=placement.similarity
        )
        cluster_refresh(cluster=cluster)
        return "joined"
    if placement.partner is not None:
        cluster = Cluster.objects.create(name=signal.name[:300], method=method)
        for pk in (placement.partner, signal.pk):
            ClusterMember.objects.create(
                cluster=cluster, signal_id=pk, similarity=placement.similarity
            )
        cluster_refresh(cluster=cluster)
        return "paired"
    return "alone"


def _pool(method: str, *, exclude: int) -> list[tuple[int, int, np.ndarray]]:
    """The most recent unclustered signals' vectors (SPYGLASS_CLUSTERS["pool"] at most)."""
    rows = (
        SignalVector.objects.filter(method=method, signal__cluster_member__isnull=True)
        .exclude(signal_id=exclude)
        .order_by("-signal_id")
        .values_list("signal_id", "signal__source_id", "vector")[
            : settings.SPYGLASS_CLUSTERS["pool"]
        ]
    )
    return [(pk, source, embedding.from_bytes(vector)) for pk, source, vector in rows]


def not_same_as(signal_id: int) -> set[int]:
    pairs = NotSame.objects.filter(Q(signal_a=signal_id) | Q(signal_b=signal_id))
    return {b if a == signal_id else a for a, b in pairs.values_list("signal_a", "signal_b")}


def cluster_refresh(*, cluster: Cluster, today: date | None = None) -> Cluster | None:
    """Recompute what members decide: centroid, evidence strength, sources, the machine's name.

    A proposed cluster left with fewer than two members is dissolved (returns None)."""
    members = list(
        ClusterMember.objects.filter(cluster=cluster).select_related(
            "signal__source", "signal__cluster_vector"
        )
    )
    if (len(members) < 2 and cluster.state == Cluster.State.PROPOSED) or not members:
        ClusterMember.objects.filter(cluster=cluster).delete()
        cluster.delete()
        return None
    vectors = [
        embedding.from_bytes(m.signal.cluster_vector.vector)
        for m in members
        if hasattr(m.signal, "cluster_vector") and m.signal.cluster_vector.method == cluster.method
    ]
    cluster.centroid = embedding.to_bytes(grouping.centroid(vectors)) if vectors else None
    evidence = [evidence_of(m) for m in members]
    cluster.strength = strength(evidence, today or timezone.localdate())
    cluster.source_count = len({e.source_id for e in evidence})
    cluster.evidence_at = max(m.added_at for m in members)
    if cluster.state == Cluster.State.PROPOSED and not cluster.name_curated:
        best = max(members, key=lambda m: (m.signal.relevancy or 0, -m.signal.pk))
        cluster.name = best.signal.name[:300]
    cluster.save()
    return cluster


def evidence_of(member: ClusterMember) -> Evidence:
    source = member.signal.source
    day = source.published_on or timezone.localdate(source.submitted_at)
    return Evidence(source_id=source.pk, day=day, relevancy=member.signal.relevancy)


def clusters_update() -> dict[str, int]:
    """Catch up: place signals never embedded or edited since, refresh every cluster's
    strength (recency moves with the calendar) and dissolve clusters left too small."""
    method = embedding.current_method()
    known = dict(SignalVector.objects.filter(method=method).values_list("signal_id", "text_hash"))
    waiting = [
        s.pk
        for s in Signal.objects.only("pk", "name", "description", "change").iterator()
        if known.get(s.pk) != embedding.text_hash(text_of(s))
    ]
    counts = {"joined": 0, "paired": 0, "alone": 0, "kept": 0}
    for start in range(0, len(waiting), 200):
        for key, value in signals_place(signal_ids=waiting[start : start + 200]).items():
            counts[key] += value
    refreshed = 0
    for cluster in Cluster.objects.all().iterator():
        with transaction.atomic():
            refreshed += cluster_refresh(cluster=cluster) is not None
    return {**counts, "signals": len(waiting), "clusters": refreshed}


def clusters_rebuild() -> dict[str, int]:
    """Start the machine's proposals again (after a method change): every signal embedded by
    the method in force, machine members of proposed clusters released, all placed again.
    Confirmed clusters and editors' memberships stay as they are."""
    with transaction.atomic():
        released = ClusterMember.objects.filter(
            added_by=Machine, cluster__state=Cluster.State.PROPOSED
        ).delete()[0]
        for cluster in Cluster.objects.all():
            cluster.method = embedding.current_method()
            cluster_refresh(cluster=cluster)
    ids = list(Signal.objects.order_by("source__submitted_at", "pk").values_list("pk", flat=True))
    counts = {"joined": 0, "paired": 0, "alone": 0, "kept": 0}
    for start in range(0, len(ids), 200):
        batch = ids[start : start + 200]
        signals_embed(signals=list(Signal.objects.filter(pk__in=batch)))
        with transaction.atomic():  # refresh centroids computed before the vectors existed
            for cluster in Cluster.objects.filter(members__signal__in=batch).distinct():
                cluster_refresh(cluster=cluster)
        for key, value in signals_place(signal_ids=batch).items():
            counts[key] += value
    return {**counts, "released": released, "signals": len(ids)}
