"""GET /findings/{kind}/facets: the explorer's "Themes in these results", for scripts."""

import pytest
from django.urls import reverse

from tests.factories import (
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def test_it_counts_the_themes_the_filtered_findings_carry_as_the_page_does(
    reader_api, reader_client
):
    ageing, housing = ThemeFactory(name="ageing"), ThemeFactory(name="housing")
    source = SourceFactory()
    SourceThemeFactory(source=source, theme=ageing)
    SignalThemeFactory(signal=SignalFactory(source=source, relevancy=5), theme=housing)
    SignalFactory(source=source, relevancy=2)

    body = reader_api.send("get", "findings/signals/facets", {"theme": "ageing"}).json()

    assert [(f["theme"]["slug"], f["count"], f["selected"]) for f in body] == [
        ("ageing", 2, True),
        ("housing", 1, False),
    ]
    page = reader_client.get(reverse("explore:index"), {"theme": "ageing"})
    assert [(f.theme.slug, f.count) for f in page.context["facets"]] == [
        ("ageing", 2),
        ("housing", 1),
    ]
    high = reader_api.send("get", "findings/signals/facets", {"min_relevancy": 4}).json()
    assert [(f["theme"]["slug"], f["count"]) for f in high] == [("ageing", 1), ("housing", 1)]


def test_a_filter_it_cannot_apply_is_a_422_naming_it(reader_api):
    response = reader_api.send("get", "findings/signals/facets", {"theme": "nowhere"})

    assert response.status_code == 422 and "theme" in response.json()["details"]["fields"]


def test_a_finding_id_still_reaches_the_finding(reader_api):
    signal = SignalFactory(name="Care robots")

    assert reader_api.send("get", f"findings/signals/{signal.pk}").json()["name"] == "Care robots"
