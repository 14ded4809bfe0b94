"""Cluster pages: ranking, the theme filter, the evidence, HTMX curation and query counts."""

import pytest
from django.urls import reverse

from apps.clusters.models import Cluster, ClusterMember
from apps.clusters.services import cluster_refresh
from tests.factories import SignalFactory, SignalThemeFactory, SourceThemeFactory, ThemeFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "cluster"}


def make_cluster(name: str, *, members: int = 2, relevancy: int = 3, theme=None) -> Cluster:
    cluster = Cluster.objects.create(name=name, method="wordllama")
    for n in range(members):
        signal = SignalFactory(name=f"{name} {n}", relevancy=relevancy)
        if theme is not None and n == 0:
            SignalThemeFactory(signal=signal, theme=theme)
        ClusterMember.objects.create(cluster=cluster, signal=signal, similarity=0.7)
    cluster.name_curated = True  # keep the test's name through refresh
    cluster.save()
    return cluster_refresh(cluster=cluster)


def test_the_list_ranks_by_evidence_strength(reader_client):
    make_cluster("Weak", members=2, relevancy=1)
    make_cluster("Strong", members=3, relevancy=5)

    html = reader_client.get(reverse("clusters:index")).content.decode()

    assert html.index("Strong") < html.index("Weak")


def test_the_list_filters_by_a_theme_of_a_signal_or_of_a_source(reader_client):
    theme = ThemeFactory(name="energy storage")
    make_cluster("Through a signal", theme=theme)
    by_source = make_cluster("Through a source")
    SourceThemeFactory(source=by_source.members.first().signal.source, theme=theme)
    make_cluster("Elsewhere")

    response = reader_client.get(reverse("clusters:index"), {"theme": theme.slug})

    html = response.content.decode()
    assert "Through a signal" in html and "Through a source" in html
    assert "Elsewhere" not in html


def test_the_filter_answers_htmx_with_the_results_only(reader_client):
    make_cluster("Alone")
    response = reader_client.get(
        reverse("clusters:index"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="cluster-results"
    )
    assert response.content.decode().lstrip().startswith('<div id="cluster-results"')


def test_the_cluster_page_shows_the_evidence_and_links_its_themes(reader_client):
    theme = ThemeFactory(name="harbour grids")
    cluster = make_cluster("Harbour batteries", theme=theme)

    html = reader_client.get(cluster.get_absolute_url()).content.decode()

    for member in cluster.members.select_related("signal__source"):
        assert member.signal.name in html and str(member.signal.source) in html
    assert theme.get_absolute_url() in html
    assert "Confirm" not in html  # a reader sees no curation


def test_an_editor_confirms_with_htmx_and_gets_the_fragment(editor_client):
    cluster = make_cluster("To confirm")

    response = editor_client.post(reverse("clusters:confirm", args=[cluster.pk]), **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<article id="cluster"')
    assert 'hx-swap-oob="true"' in html and "Confirmed" in html
    assert "<strong>state</strong> <q>proposed</q> → <q>confirmed</q>" in html  # the history
    cluster.refresh_from_db()
    assert cluster.state == "confirmed"


def test_a_blank_name_is_refused_with_the_reason(editor_client):
    cluster = make_cluster("Keeps its name")

    response = editor_client.post(
        reverse("clusters:rename", args=[cluster.pk]), {"name": " "}, follow=True
    )

    assert "Give the cluster a name" in response.content.decode()
    cluster.refresh_from_db()
    assert cluster.name == "Keeps its name"


def test_a_split_with_htmx_makes_a_new_cluster(editor_client):
    cluster = make_cluster("Mixed", members=3)
    moved = cluster.members.first().signal_id

    response = editor_client.post(
        reverse("clusters:split", args=[cluster.pk]), {"signal": [moved]}, **HTMX
    )

    assert "new cluster" in response.content.decode()
    assert Cluster.objects.get(members__signal=moved).pk != cluster.pk


def test_removing_the_second_last_member_sends_the_editor_to_the_list(editor_client):
    cluster = make_cluster("Pair")

    response = editor_client.post(
        reverse("clusters:remove", args=[cluster.pk]),
        {"signal": cluster.members.first().signal_id},
        **HTMX,
    )

    assert response.headers["HX-Redirect"] == reverse("clusters:index")
    assert not Cluster.objects.filter(pk=cluster.pk).exists()


def test_not_the_same_without_members_chosen_says_so(editor_client):
    cluster = make_cluster("Pair")
    response = editor_client.post(reverse("clusters:not_same", args=[cluster.pk]), **HTMX)
    assert "Choose two signals of this cluster" in response.content.decode()


def test_a_theme_page_shows_its_strongest_clusters(reader_client):
    theme = ThemeFactory(name="tidal storage")
    make_cluster("Tidal cluster", theme=theme)

    html = reader_client.get(theme.get_absolute_url()).content.decode()

    assert "Strongest clusters" in html and "Tidal cluster" in html


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_costs_the_same_queries_for_more_clusters(
    reader_client, django_assert_max_num_queries, count
):
    theme = ThemeFactory(name="many")
    for n in range(count):
        make_cluster(f"Cluster {n}", theme=theme)
    with django_assert_max_num_queries(9):
        reader_client.get(reverse("clusters:index"), {"theme": theme.slug})


@pytest.mark.parametrize("members", [2, 10])
def test_the_cluster_page_costs_the_same_queries_for_more_members(
    editor_client, django_assert_max_num_queries, members
):
    cluster = make_cluster("Big", members=members, theme=ThemeFactory(name="one"))
    with django_assert_max_num_queries(11):
        editor_client.get(cluster.get_absolute_url())
