"""The findings API tells a finding's own themes from its source's, filters by scope, and
says which findings are machine drafts."""

import pytest

from apps.core.models import Origin
from tests.factories import (
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    """One source on energy and mobility; each of its two signals is about one of them."""
    energy, mobility = ThemeFactory(name="energy"), ThemeFactory(name="mobility")
    source = SourceFactory(title="City report")
    SourceThemeFactory(source=source, theme=energy, position=0)
    SourceThemeFactory(source=source, theme=mobility, position=1)
    storage = SignalFactory(source=source, name="Tidal storage", relevancy=4)
    SignalThemeFactory(signal=storage, theme=energy)
    sharing = SignalFactory(source=source, name="Car sharing", relevancy=3)
    SignalThemeFactory(signal=sharing, theme=mobility)
    return {"energy": energy, "mobility": mobility, "storage": storage, "sharing": sharing}


def test_the_api_gives_both_lists_and_takes_the_scope(reader_api, report):
    body = reader_api.send("get", "findings/signals/", {"theme": "energy"}).json()
    items = {item["name"]: item for item in body["items"]}
    assert [t["name"] for t in items["Car sharing"]["themes"]] == ["mobility"]
    assert [t["name"] for t in items["Car sharing"]["source_themes"]] == ["energy"]

    own = reader_api.send("get", "findings/signals/", {"theme": "energy", "theme_scope": "own"})
    assert [item["name"] for item in own.json()["items"]] == ["Tidal storage"]
    facets = reader_api.send("get", "findings/signals/facets", {}).json()
    assert [(f["theme"]["name"], f["count"], f["own"]) for f in facets] == [
        ("energy", 2, 1),
        ("mobility", 2, 1),
    ]
    bad = reader_api.send("get", "findings/signals/", {"theme_scope": "mine"})
    assert bad.status_code == 422


def test_the_api_says_which_findings_are_machine_drafts(reader_api, settings):
    settings.SPYGLASS_DRAFT_CONFIDENCE = 0.6
    SignalFactory(name="Shaky", origin=Origin.AI, confidence=0.3)
    SignalFactory(name="Solid", origin=Origin.AI, confidence=0.9)
    SignalFactory(name="Imported", origin=Origin.IMPORT)

    body = reader_api.send("get", "findings/signals/", {"sort": "name"}).json()

    assert [(i["name"], i["confidence"], i["reviewed"], i["draft"]) for i in body["items"]] == [
        ("Imported", None, True, False),
        ("Shaky", 0.3, False, True),
        ("Solid", 0.9, False, False),
    ]


def test_an_editor_accepts_a_machine_draft_with_its_version(editor_api, reader_api, settings):
    settings.SPYGLASS_DRAFT_CONFIDENCE = 0.6
    draft = SignalFactory(name="Shaky", origin=Origin.AI, confidence=0.3)
    path = f"findings/signals/{draft.pk}/accept"

    assert reader_api.send("post", path, {"version": 1}).status_code == 403
    stale = editor_api.send("post", path, {"version": 7})
    assert stale.status_code == 409 and stale.json()["details"]["current"]["draft"] is True

    body = editor_api.send("post", path, {"version": 1}).json()

    assert (body["reviewed"], body["draft"], body["version"]) == (True, False, 2)
