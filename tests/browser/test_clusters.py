"""An editor reads a cluster's evidence, renames it, splits off a member and confirms it."""

import pytest
from playwright.sync_api import expect

from apps.clusters.models import Cluster, ClusterMember
from apps.clusters.services import cluster_refresh
from tests.accounts.factories import UserFactory
from tests.factories import SignalFactory, SignalThemeFactory, SourceFactory, ThemeFactory

pytestmark = pytest.mark.browser


def proposed_cluster() -> Cluster:
    theme = ThemeFactory(name="home heating")
    cluster = Cluster.objects.create(name="Heat pumps outsell gas boilers", method="wordllama")
    for title, name, relevancy in (
        ("Energy weekly", "Heat pumps outsell gas boilers in Europe", 5),
        ("Climate desk", "Gas boiler sales fall behind heat pumps", 4),
        ("Home tech review", "Heat pump subsidy budget cut", 3),
    ):
        signal = SignalFactory(source=SourceFactory(title=title), name=name, relevancy=relevancy)
        SignalThemeFactory(signal=signal, theme=theme)
        ClusterMember.objects.create(cluster=cluster, signal=signal, similarity=0.62)
    return cluster_refresh(cluster=cluster)


def test_an_editor_renames_splits_and_confirms_a_cluster(page, login, screenshot):
    cluster = proposed_cluster()
    login(page, UserFactory(username="erin", role="editor"), next_url="/clusters/")

    # The machine names a cluster after its most relevant signal.
    link = page.get_by_role("link", name="Heat pumps outsell gas boilers in Europe")
    expect(link).to_be_visible()
    screenshot(page, "cluster list")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Heat pumps outsell gas boilers")
    expect(page.get_by_role("link", name="home heating")).to_be_visible()
    expect(page.locator(".evidence-table tbody tr")).to_have_count(3)
    screenshot(page, "cluster evidence")

    page.get_by_label("Rename").fill("Heat pumps overtake boilers")
    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Heat pumps overtake boilers")
    expect(page.get_by_role("status")).to_contain_text("Renamed the cluster")

    page.get_by_label("Move “Heat pump subsidy budget cut” to a new cluster").check()
    page.get_by_role("button", name="Split the checked signals into a new cluster").click()
    expect(page.get_by_role("status")).to_contain_text("Moved 1 signal(s) to the new cluster")
    expect(page.locator(".evidence-table tbody tr")).to_have_count(2)

    page.get_by_role("button", name="Confirm: one change").click()
    expect(page.get_by_role("status")).to_contain_text("Confirmed")
    expect(page.locator("h1 .badge")).to_have_text("confirmed")
    screenshot(page, "cluster confirmed")

    cluster.refresh_from_db()
    assert (cluster.name, cluster.state, cluster.members.count()) == (
        "Heat pumps overtake boilers",
        "confirmed",
        2,
    )
    assert Cluster.objects.count() == 2
