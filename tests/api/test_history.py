"""An item's audit history, readable even after the item is deleted."""

from tests.factories import SignalFactory


def test_history_lists_an_items_changes_newest_first(editor_api, reader_api, db):
    signal = SignalFactory(name="Old")
    editor_api.send("patch", f"findings/signals/{signal.pk}", {"version": 1, "name": "New"})
    editor_api.send("delete", f"findings/signals/{signal.pk}")
    body = reader_api.send("get", f"history/signals/{signal.pk}").json()
    assert [entry["action"] for entry in body["items"]] == ["delete", "update"]
    assert body["items"][1]["old"] == "Old" and body["items"][1]["new"] == "New"
    assert body["items"][1]["actor"] == "api-editor"


def test_history_of_nothing_is_404(reader_api, db):
    response = reader_api.send("get", "history/sources/12345")
    assert response.status_code == 404 and "source" in response.json()["message"]
