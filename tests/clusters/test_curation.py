"""Editors' curation: each action, its refusals and its audit entries."""

import pytest

from apps.clusters import curation
from apps.clusters.curation import CurationError
from apps.clusters.models import Cluster, NotSame
from apps.clusters.services import signals_place
from apps.core.audit import history_for
from apps.knowledge.models import Signal
from tests.clusters.support import make_signals, members_of, paraphrases

pytestmark = pytest.mark.django_db

SATELLITE = [row for row in paraphrases() if row["group"] == "satellite-phones"]


@pytest.fixture
def cluster():
    ids = sorted(make_signals(SATELLITE))
    for pk in ids:
        signals_place(signal_ids=[pk])
    return Cluster.objects.get()


def test_confirming_makes_every_membership_the_editors(cluster, editor):
    curation.cluster_confirm(cluster=cluster, user=editor)

    cluster.refresh_from_db()
    assert cluster.state == "confirmed"
    assert set(cluster.members.values_list("added_by", flat=True)) == {"editor"}
    entry = history_for(cluster)[0]
    assert (entry.field, entry.new, entry.actor) == ("state", "confirmed", editor)
    with pytest.raises(CurationError, match="already confirmed"):
        curation.cluster_confirm(cluster=cluster, user=editor)


def test_a_rename_is_kept_from_the_machine(cluster, editor):
    curation.cluster_rename(cluster=cluster, name="  Texting   by satellite ", user=editor)
    signals_place(signal_ids=list(members_of(cluster)))

    cluster.refresh_from_db()
    assert (cluster.name, cluster.name_curated) == ("Texting by satellite", True)
    assert history_for(cluster)[0].old != "Texting by satellite"


@pytest.mark.parametrize(
    ("name", "message"), [("   ", "Give the cluster a name"), ("x" * 301, "at most 300")]
)
def test_a_bad_name_is_refused_and_nothing_changes(cluster, editor, name, message):
    old = cluster.name
    with pytest.raises(CurationError, match=message):
        curation.cluster_rename(cluster=cluster, name=name, user=editor)
    cluster.refresh_from_db()
    assert cluster.name == old


def test_split_moves_the_chosen_members_and_keeps_the_groups_apart(cluster, editor):
    members = sorted(members_of(cluster))

    new = curation.cluster_split(cluster=cluster, signal_ids=members[:2], user=editor)

    assert members_of(new) == set(members[:2])
    assert members_of(cluster) == set(members[2:])
    assert new.state == "confirmed"
    assert NotSame.objects.count() == 2 * (len(members) - 2)
    assert history_for(new)[0].action == "create"


@pytest.mark.parametrize(
    ("choose", "message"),
    [
        (lambda ids: [], "Choose the members"),
        (lambda ids: ids, "Leave at least one member"),
        (lambda ids: [ids[0], 10**9], "not in this cluster"),
    ],
)
def test_a_split_that_makes_no_sense_is_refused(cluster, editor, choose, message):
    members = sorted(members_of(cluster))
    with pytest.raises(CurationError, match=message):
        curation.cluster_split(cluster=cluster, signal_ids=choose(members), user=editor)
    assert Cluster.objects.count() == 1
    assert members_of(cluster) == set(members)


def test_removing_a_member_marks_it_apart_from_those_that_stay(cluster, editor):
    members = sorted(members_of(cluster))
    leaving = Signal.objects.get(pk=members[0])

    curation.cluster_member_remove(cluster=cluster, signal=leaving, user=editor)
    signals_place(signal_ids=[leaving.pk])

    assert members_of(cluster) == set(members[1:])
    assert NotSame.objects.count() == len(members) - 1
    assert history_for(cluster)[0].old == leaving.name


def test_removing_down_to_one_member_dissolves_a_proposed_cluster(editor):
    ids = sorted(make_signals(SATELLITE[:2]))
    for pk in ids:
        signals_place(signal_ids=[pk])
    cluster = Cluster.objects.get()

    kept = curation.cluster_member_remove(
        cluster=cluster, signal=Signal.objects.get(pk=ids[0]), user=editor
    )

    assert kept is None and not Cluster.objects.exists()


def test_not_the_same_needs_two_different_members(cluster, editor):
    member = Signal.objects.get(pk=min(members_of(cluster)))
    with pytest.raises(CurationError, match="two different"):
        curation.signals_not_same(cluster=cluster, signal=member, other=member, user=editor)
    outsider = make_signals([{**SATELLITE[0], "source": "elsewhere"}])
    with pytest.raises(CurationError, match="Both signals"):
        curation.signals_not_same(
            cluster=cluster,
            signal=member,
            other=Signal.objects.get(pk=next(iter(outsider))),
            user=editor,
        )
    assert not NotSame.objects.exists()
