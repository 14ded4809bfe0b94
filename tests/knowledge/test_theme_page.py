"""A theme's page counts and lists findings by the explorer's rule: one rule, one number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.factories import (
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def test_a_finding_whose_source_carries_the_theme_is_on_the_page_as_in_the_explorer(reader_client):
    energy = ThemeFactory(name="energy")
    on_source = SourceFactory(title="Grid report")
    SourceThemeFactory(source=on_source, theme=energy)
    inherited = SignalFactory(source=on_source, name="Cheaper batteries", relevancy=4)
    own = SignalFactory(name="Heat pumps everywhere", relevancy=5)
    SignalThemeFactory(signal=own, theme=energy)
    SignalFactory(name="Unrelated", relevancy=5)

    page = reader_client.get(reverse("knowledge:theme", args=[energy.slug]))
    explorer = reader_client.get(reverse("explore:index"), {"theme": energy.slug})

    signals = page.context["groups"][0]
    assert signals.kind == "signals"
    assert [finding.pk for finding in signals.items] == [own.pk, inherited.pk]
    assert signals.total == explorer.context["page"].paginator.count == 2
    assert "Cheaper batteries" in page.content.decode()


def test_the_api_counts_a_theme_as_the_page_does(reader_client):
    energy = ThemeFactory(name="energy")
    source = SourceFactory()
    SourceThemeFactory(source=source, theme=energy)
    SignalFactory.create_batch(2, source=source)

    answer = reader_client.get(f"/api/v1/themes/{energy.pk}")

    assert answer.status_code == 200
    assert answer.json()["counts"]["signals"] == 2


@pytest.mark.django_db(transaction=True)  # the cache generation moves when a change commits
def test_the_groups_are_rendered_once_and_again_after_a_change(client):
    client.force_login(UserFactory(username="rita", role="reader"))
    energy = ThemeFactory(name="energy")
    signal = SignalFactory(name="Heat pumps everywhere", relevancy=5)
    SignalThemeFactory(signal=signal, theme=energy)
    address = reverse("knowledge:theme", args=[energy.slug])
    client.get(address)

    with CaptureQueriesContext(connection) as queries:
        warm = client.get(address)
    assert "Heat pumps everywhere" in warm.content.decode()
    assert "knowledge/_finding_group.html" not in [t.name for t in warm.templates]
    assert not [q for q in queries if q["sql"].startswith('SELECT "knowledge_signal"')]

    signal.name = "Heat pumps in every home"
    signal.save()
    assert "Heat pumps in every home" in client.get(address).content.decode()
