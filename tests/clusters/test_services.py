"""Machine clustering in the database: incremental placement, stability, "not the same"."""

import pytest
from django.utils import timezone

from apps.clusters import curation
from apps.clusters.models import Cluster, ClusterMember, NotSame, SignalVector
from apps.clusters.services import clusters_rebuild, clusters_update, signals_place
from apps.knowledge.models import Signal
from tests.clusters.support import make_signals, members_of, pairwise, paraphrases
from tests.factories import SignalFactory, SourceFactory

pytestmark = pytest.mark.django_db

HEAT = [row for row in paraphrases() if row["group"] == "heat-pumps-outsell"]
BEAVERS = [row for row in paraphrases() if row["group"] == "rewilding-beavers"]


def place_each(ids) -> None:
    """As the pipeline does: one source's signals at a time, in the order they came."""
    for pk in ids:
        signals_place(signal_ids=[pk])


def test_the_paraphrase_set_clusters_above_the_floor():
    groups = make_signals(paraphrases())

    place_each(sorted(groups))

    precision, recall = pairwise(groups)
    assert precision >= 0.95, precision
    assert recall >= 0.75, recall


def test_a_paraphrase_from_a_third_source_joins_the_cluster_without_embedding_the_others():
    groups = make_signals(HEAT[:2])
    place_each(sorted(groups))
    cluster = Cluster.objects.get()
    before = dict(SignalVector.objects.values_list("signal_id", "embedded_at"))

    newcomer = next(iter(make_signals(HEAT[2:3])))
    counts = signals_place(signal_ids=[newcomer])

    assert counts["joined"] == 1
    assert members_of(cluster) == {*groups, newcomer}
    after = dict(SignalVector.objects.values_list("signal_id", "embedded_at"))
    assert {pk: after[pk] for pk in before} == before  # nothing embedded again


def test_a_signal_pairs_only_with_a_signal_of_another_source():
    source = SourceFactory()
    make_signals(HEAT[:2], sources={HEAT[0]["source"]: source, HEAT[1]["source"]: source})

    place_each(Signal.objects.values_list("pk", flat=True))

    assert not Cluster.objects.exists()


def test_placing_again_changes_nothing():
    groups = make_signals(HEAT)
    place_each(sorted(groups))
    memberships = list(ClusterMember.objects.values_list("cluster", "signal", "added_at"))

    counts = signals_place(signal_ids=sorted(groups))

    assert counts["kept"] == len(groups)
    assert list(ClusterMember.objects.values_list("cluster", "signal", "added_at")) == memberships


def test_confirmed_memberships_stay_when_data_is_added(editor):
    first = [row for row in paraphrases() if row["group"]][::2]
    rest = [row for row in paraphrases() if row not in first]
    sources: dict = {}
    place_each(sorted(make_signals(first, sources)))
    confirmed = list(Cluster.objects.all()[:3])
    for cluster in confirmed:
        curation.cluster_confirm(cluster=cluster, user=editor)
    before = {c.pk: (c.name, members_of(c)) for c in confirmed}
    proposed = {c.pk: members_of(c) for c in Cluster.objects.exclude(pk__in=before)}

    place_each(sorted(make_signals(rest, sources)))
    clusters_update()

    for pk, (name, members) in before.items():
        cluster = Cluster.objects.get(pk=pk)
        assert cluster.name == name
        assert members <= members_of(cluster)  # kept; new evidence may be added
        assert cluster.members.filter(signal__in=members, added_by="editor").count() == len(members)
    for pk, members in proposed.items():  # no machine member moved either
        assert members <= members_of(Cluster.objects.get(pk=pk))


def test_signals_marked_not_the_same_are_never_paired():
    one, other = sorted(make_signals(BEAVERS[:2]))
    NotSame.objects.create(signal_a_id=one, signal_b_id=other)

    place_each([one, other])
    clusters_rebuild()

    assert not Cluster.objects.exists()


def test_a_signal_marked_not_the_same_as_a_member_never_joins_its_cluster(editor):
    ids = sorted(make_signals(BEAVERS))
    place_each(ids)
    cluster = Cluster.objects.get()
    leaving = Signal.objects.get(pk=ids[2])

    curation.signals_not_same(
        cluster=cluster, signal=leaving, other=Signal.objects.get(pk=ids[0]), user=editor
    )
    signals_place(signal_ids=[leaving.pk])
    assert leaving.pk not in members_of(Cluster.objects.get(pk=cluster.pk))
    clusters_rebuild()  # proposals made again from scratch: the pair still kept apart

    assert not ClusterMember.objects.filter(
        signal=leaving, cluster__members__signal=ids[0]
    ).exists()


def test_an_edited_signal_leaves_a_proposed_cluster_it_no_longer_matches():
    ids = sorted(make_signals(HEAT))
    place_each(ids)
    edited = Signal.objects.get(pk=ids[-1])
    edited.name, edited.description = "Wolves return to farmland", "Wolf packs settle near sheep."
    edited.save()

    counts = signals_place(signal_ids=[edited.pk])

    assert counts["alone"] == 1
    assert not ClusterMember.objects.filter(signal=edited).exists()


def test_update_places_signals_never_seen_and_refreshes_strengths():
    make_signals(HEAT)

    counts = clusters_update()

    assert counts["signals"] == len(HEAT)
    cluster = Cluster.objects.get()
    assert cluster.source_count == len(HEAT)
    assert cluster.strength == pytest.approx(len(HEAT) * 4 / 5, rel=0.01)
    assert cluster.evidence_at <= timezone.now()


def test_rebuild_keeps_confirmed_clusters_and_places_the_rest_again(editor):
    ids = sorted(make_signals(HEAT + BEAVERS))
    place_each(ids)
    heat = Cluster.objects.get(members__signal=ids[0])
    curation.cluster_rename(cluster=heat, name="Heat pumps win", user=editor)
    curation.cluster_confirm(cluster=heat, user=editor)
    members = members_of(heat)

    counts = clusters_rebuild()

    assert counts["signals"] == len(ids)
    heat.refresh_from_db()
    assert (heat.name, members_of(heat)) == ("Heat pumps win", members)
    assert Cluster.objects.count() == 2


def test_a_cluster_of_one_machine_member_dissolves():
    ids = sorted(make_signals(HEAT[:2]))
    place_each(ids)

    SignalFactory._meta.model.objects.filter(pk=ids[0]).delete()
    clusters_update()

    assert not Cluster.objects.exists()
