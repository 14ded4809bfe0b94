"""Findings through the API: read, create, update with a version (409 when stale), delete,
theme links; the same checks as the pages."""

import pytest

from apps.core.models import AuditEntry
from apps.knowledge.models import Behavior, Signal
from tests.factories import BehaviorFactory, SignalFactory, SourceFactory, ThemeFactory


@pytest.fixture
def signal(db):
    return SignalFactory(name="Robots in kitchens", relevancy=3)


def test_a_reader_reads_a_finding(reader_api, signal):
    body = reader_api.send("get", f"findings/signals/{signal.pk}").json()
    assert body["name"] == "Robots in kitchens" and body["kind"] == "signals"
    assert body["version"] == signal.version and body["source"] == signal.source_id
    assert body["change"] == "From this to that."


def test_a_finding_of_another_kind_is_404(reader_api, signal):
    response = reader_api.send("get", f"findings/behaviors/{signal.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_an_unknown_kind_names_the_field(reader_api, db):
    response = reader_api.send("get", "findings/gadgets/1")
    assert response.status_code == 422 and "kind" in response.json()["details"]["fields"]


def test_an_editor_creates_a_finding(editor_api, db):
    source = SourceFactory()
    payload = {"source": source.pk, "name": "Quiet roads", "relevancy": 4}
    response = editor_api.send("post", "findings/behaviors/", payload)
    assert response.status_code == 201
    created = Behavior.objects.get(pk=response.json()["id"])
    assert (created.name, created.relevancy, created.source) == ("Quiet roads", 4, source)
    assert response.json()["curated"] == ["name", "relevancy"]


def test_creating_names_every_bad_field(editor_api, db):
    source = SourceFactory()
    response = editor_api.send(
        "post", "findings/behaviors/", {"source": source.pk, "name": "x", "change": "no"}
    )
    assert response.status_code == 422
    assert response.json()["message"].startswith("change:")
    response = editor_api.send("post", "findings/signals/", {"source": 999999, "name": "x"})
    assert response.status_code == 422 and "source" in response.json()["details"]["fields"]
    response = editor_api.send("post", "findings/signals/", {"source": source.pk, "relevancy": 9})
    assert response.status_code == 422
    assert {"name", "relevancy"} <= set(response.json()["details"]["fields"])
    assert not Signal.objects.exists()


def test_an_editor_updates_with_the_current_version(editor_api, signal):
    response = editor_api.send(
        "patch", f"findings/signals/{signal.pk}", {"version": signal.version, "relevancy": 5}
    )
    assert response.status_code == 200
    assert response.json()["relevancy"] == 5
    assert response.json()["version"] == signal.version + 1
    assert response.json()["name"] == "Robots in kitchens"  # fields not sent are kept


def test_a_stale_version_is_409_with_the_current_finding(editor_api, signal):
    first = editor_api.send(
        "patch", f"findings/signals/{signal.pk}", {"version": signal.version, "name": "New"}
    )
    assert first.status_code == 200
    stale = editor_api.send(
        "patch", f"findings/signals/{signal.pk}", {"version": signal.version, "name": "Lost"}
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "stale_version" and "changed since" in body["message"]
    assert body["details"]["current"]["name"] == "New"
    assert body["details"]["current"]["version"] == signal.version + 1
    signal.refresh_from_db()
    assert signal.name == "New"


def test_an_editor_deletes_a_finding_checking_the_version(editor_api, signal):
    stale = editor_api.send("delete", f"findings/signals/{signal.pk}?version={signal.version + 3}")
    assert stale.status_code == 409
    done = editor_api.send("delete", f"findings/signals/{signal.pk}?version={signal.version}")
    assert done.status_code == 204
    assert not Signal.objects.filter(pk=signal.pk).exists()
    assert AuditEntry.objects.filter(action="delete", target_id=signal.pk).exists()


def test_theme_links_on_a_finding(editor_api, db):
    behavior = BehaviorFactory()
    theme = ThemeFactory(name="Ageing")
    added = editor_api.send("post", f"findings/behaviors/{behavior.pk}/themes/", {"name": "ageing"})
    assert added.status_code == 201 and added.json()["id"] == theme.pk
    again = editor_api.send("post", f"findings/behaviors/{behavior.pk}/themes/", {"name": "Ageing"})
    assert again.status_code == 400 and "already carries" in again.json()["message"]
    unknown = editor_api.send("post", f"findings/behaviors/{behavior.pk}/themes/", {"name": "Zz"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "theme_refused"
    removed = editor_api.send("delete", f"findings/behaviors/{behavior.pk}/themes/{theme.pk}")
    assert removed.status_code == 204 and not behavior.themes.exists()


def test_the_list_uses_the_explorers_filter(reader_api, db):
    ageing = ThemeFactory(name="Ageing")
    high = SignalFactory(name="Care robots", relevancy=5)
    high.themes.add(ageing, through_defaults={})
    SignalFactory(name="Cheap drones", relevancy=2)
    body = reader_api.send("get", "findings/signals/", {"theme": "ageing"}).json()
    assert [item["name"] for item in body["items"]] == ["Care robots"]
    assert body["items"][0]["themes"][0]["slug"] == "ageing"
    body = reader_api.send("get", "findings/signals/", {"sort": "relevancy"}).json()
    assert [item["name"] for item in body["items"]] == ["Cheap drones", "Care robots"]
    body = reader_api.send("get", "findings/signals/", {"min_relevancy": 4, "limit": 1}).json()
    assert body["count"] == 1 and body["next"] is None


def test_a_bad_explorer_filter_is_named(reader_api, db):
    response = reader_api.send("get", "findings/signals/", {"theme": "no-such-theme"})
    assert response.status_code == 422 and response.json()["message"].startswith("theme:")
    response = reader_api.send("get", "findings/signals/", {"min_relevancy": 7})
    assert response.status_code == 422 and "min_relevancy" in response.json()["details"]["fields"]


def test_the_list_costs_the_same_queries_whatever_the_page_size(reader_api, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    theme = ThemeFactory(name="Ageing")
    for _ in range(10):
        SignalFactory().themes.add(theme, through_defaults={})
    reader_api.send("get", "me")  # the token's first use of the minute writes last_used
    counts = []
    for limit in (2, 10):
        with CaptureQueriesContext(connection) as queries:
            assert reader_api.send("get", "findings/signals/", {"limit": limit}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
