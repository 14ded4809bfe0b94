"""Editors' curation of clusters: confirm, rename, split, remove a member, "not the same".

Each action is one transaction and one or more audit entries. What an editor decides is
kept from the machine: a confirmed cluster's members and an editor's memberships never
move, a renamed cluster keeps its name, and every "not the same" pair (also recorded when a
member is removed or a cluster split) stops the machine from putting the two together again.
"""

from itertools import product

from django.db import transaction

from apps.clusters.models import Cluster, ClusterMember, NotSame
from apps.clusters.services import cluster_refresh
from apps.core.audit import audit_record
from apps.core.models import AuditEntry, Origin
from apps.knowledge.models import Signal

NAME_LENGTH = 300
Editor = ClusterMember.AddedBy.EDITOR


class CurationError(Exception):
    """An action refused, with the reason in words an editor understands."""


def _audit(
    cluster: Cluster, user, *, field: str, old=None, new=None, action=AuditEntry.Action.UPDATE
):
    audit_record(
        cluster, action=action, origin=Origin.EDITOR, actor=user, field=field, old=old, new=new
    )


@transaction.atomic
def cluster_confirm(*, cluster: Cluster, user) -> Cluster:
    """The members are one change: the cluster and its memberships become the editor's."""
    if cluster.state == Cluster.State.CONFIRMED:
        raise CurationError("This cluster is already confirmed.")
    cluster.state = Cluster.State.CONFIRMED
    cluster.save(update_fields=["state", "updated_at"])
    cluster.members.update(added_by=Editor)
    _audit(cluster, user, field="state", old=Cluster.State.PROPOSED, new=Cluster.State.CONFIRMED)
    return cluster


@transaction.atomic
def cluster_rename(*, cluster: Cluster, name: str, user) -> Cluster:
    name = " ".join(name.split())
    if not name:
        raise CurationError("Give the cluster a name.")
    if len(name) > NAME_LENGTH:
        raise CurationError(
            f"A name has at most {NAME_LENGTH} characters; this one has {len(name)}."
        )
    old = cluster.name
    cluster.name, cluster.name_curated = name, True
    cluster.save(update_fields=["name", "name_curated", "updated_at"])
    _audit(cluster, user, field="name", old=old, new=name)
    return cluster


@transaction.atomic
def cluster_split(*, cluster: Cluster, signal_ids: list[int], user) -> Cluster:
    """Move the chosen members to a new confirmed cluster; the two groups are marked
    "not the same" pairwise, so the machine never joins them again."""
    members = {m.signal_id: m for m in cluster.members.select_related("signal")}
    chosen = set(signal_ids)
    if not chosen:
        raise CurationError("Choose the members that move to the new cluster.")
    if chosen - set(members):
        raise CurationError(
            "Some of the chosen signals are not in this cluster any more; reload the page."
        )
    if chosen == set(members):
        raise CurationError("Leave at least one member in this cluster; to rename it, use Rename.")
    moved = [members[pk] for pk in sorted(chosen)]
    new = Cluster.objects.create(
        name=moved[0].signal.name[:NAME_LENGTH],
        state=Cluster.State.CONFIRMED,
        method=cluster.method,
    )
    ClusterMember.objects.filter(pk__in=[m.pk for m in moved]).update(cluster=new, added_by=Editor)
    _mark_apart(chosen, set(members) - chosen, user)
    _audit(
        new, user, field="", action=AuditEntry.Action.CREATE, new=f"split from cluster {cluster.pk}"
    )
    _audit(
        cluster,
        user,
        field="members",
        old="; ".join(m.signal.name for m in moved),
        new=f"moved to cluster {new.pk}",
    )
    cluster_refresh(cluster=new)
    cluster_refresh(cluster=cluster)
    return new


@transaction.atomic
def cluster_member_remove(*, cluster: Cluster, signal: Signal, user) -> Cluster | None:
    """Take a signal out: it is "not the same" as the members that stay. Returns the
    cluster, or None when a proposed cluster is left too small and dissolves."""
    member = cluster.members.filter(signal=signal).first()
    if member is None:
        raise CurationError("That signal is not in this cluster any more; reload the page.")
    member.delete()
    _mark_apart({signal.pk}, set(cluster.members.values_list("signal_id", flat=True)), user)
    _audit(cluster, user, field="members", old=signal.name, new=None)
    return cluster_refresh(cluster=cluster)


@transaction.atomic
def signals_not_same(*, cluster: Cluster, signal: Signal, other: Signal, user) -> Cluster | None:
    """Two members are different changes: remembered for good; `signal` leaves the cluster."""
    if signal.pk == other.pk:
        raise CurationError("Choose two different signals.")
    in_cluster = set(
        cluster.members.filter(signal__in=[signal, other]).values_list("signal_id", flat=True)
    )
    if in_cluster != {signal.pk, other.pk}:
        raise CurationError("Both signals must be members of this cluster; reload the page.")
    _mark_apart({signal.pk}, {other.pk}, user)
    cluster.members.filter(signal=signal).delete()
    _audit(cluster, user, field="not the same", old=signal.name, new=other.name)
    return cluster_refresh(cluster=cluster)


def _mark_apart(ones: set[int], others: set[int], user) -> None:
    pairs = {tuple(sorted(pair)) for pair in product(ones, others) if pair[0] != pair[1]}
    NotSame.objects.bulk_create(
        [NotSame(signal_a_id=a, signal_b_id=b, marked_by=user) for a, b in sorted(pairs)],
        ignore_conflicts=True,
    )
