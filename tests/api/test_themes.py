"""Themes through the API: list, read, rename, aliases, merge, proposals."""

import pytest

from apps.knowledge.models import Theme
from tests.factories import (
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    ThemeAliasFactory,
    ThemeFactory,
)


@pytest.fixture
def ageing(db):
    theme = ThemeFactory(name="Ageing")
    SourceThemeFactory(theme=theme)
    SignalThemeFactory(theme=theme)
    return theme


def test_the_list_is_paged_and_filtered(reader_api, ageing):
    ThemeFactory(name="Housing")
    body = reader_api.send("get", "themes/", {"q": "age", "limit": 1}).json()
    assert body["count"] == 1 and body["items"][0]["name"] == "Ageing"
    assert body["items"][0]["source_count"] == 1
    everything = reader_api.send("get", "themes/", {"limit": 1}).json()
    assert everything["count"] == 2 and "offset=1" in everything["next"]
    assert everything["previous"] is None


def test_a_page_larger_than_the_maximum_is_refused(reader_api, db):
    response = reader_api.send("get", "themes/", {"limit": 1000})
    assert response.status_code == 422
    assert response.json()["message"].startswith("limit:")


def test_the_detail_counts_what_carries_it(reader_api, ageing):
    ThemeAliasFactory(theme=ageing, name="Older people")
    body = reader_api.send("get", f"themes/{ageing.pk}").json()
    assert body["counts"]["sources"] == 1 and body["counts"]["signals"] == 1
    assert body["source_count"] == 1  # the same number the list gives
    assert [alias["name"] for alias in body["aliases"]] == ["Older people"]


def test_rename_keeps_the_old_name_as_an_alias(editor_api, ageing):
    body = editor_api.send("patch", f"themes/{ageing.pk}", {"name": "Longevity"}).json()
    assert body["name"] == "Longevity" and "Ageing" in [a["name"] for a in body["aliases"]]


def test_aliases_are_added_and_removed(editor_api, ageing):
    added = editor_api.send("post", f"themes/{ageing.pk}/aliases/", {"name": "Elderly"})
    assert added.status_code == 201
    clash = editor_api.send("post", f"themes/{ageing.pk}/aliases/", {"name": "elderly"})
    assert clash.status_code == 400 and "already" in clash.json()["message"]
    removed = editor_api.send("delete", f"themes/{ageing.pk}/aliases/{added.json()['id']}")
    assert removed.status_code == 204 and not ageing.aliases.exists()


def test_merge_moves_everything_and_answers_with_the_target(editor_api, ageing):
    target = ThemeFactory(name="Demography")
    body = editor_api.send("post", f"themes/{ageing.pk}/merge", {"into": "demography"}).json()
    assert body["id"] == target.pk and body["counts"]["sources"] == 1
    ageing.refresh_from_db()
    assert ageing.status == Theme.Status.MERGED
    missing = editor_api.send("post", f"themes/{target.pk}/merge", {"into": "nothing here"})
    assert missing.status_code == 422 and missing.json()["message"].startswith("into:")


def test_proposals_are_queued_accepted_and_rejected(editor_api, db):
    from apps.knowledge.themes import theme_suggest

    source = SourceFactory()
    theme_suggest("Vertical farms", source=source)
    theme_suggest("Sky gardens", source=source)
    queue = editor_api.send("get", "themes/proposed/").json()
    assert queue["count"] == 2 and queue["items"][0]["suggested_by"][0]["id"] == source.pk
    farms, gardens = (Theme.objects.get(name=name) for name in ("Vertical farms", "Sky gardens"))
    accepted = editor_api.send("post", f"themes/{farms.pk}/accept").json()
    assert accepted["status"] == "approved" and accepted["counts"]["sources"] == 1
    assert editor_api.send("post", f"themes/{gardens.pk}/reject").json()["status"] == "rejected"
    again = editor_api.send("post", f"themes/{farms.pk}/accept")
    assert again.status_code == 400 and "only proposed" in again.json()["message"]


def test_an_editor_creates_a_theme(editor_api, ageing):
    created = editor_api.send("post", "themes/", {"name": "Urban heat"})
    assert created.status_code == 201 and created.json()["status"] == "approved"
    taken = editor_api.send("post", "themes/", {"name": "ageing"})
    assert taken.status_code == 400 and "already" in taken.json()["message"]


def test_see_also_is_added_listed_and_removed(editor_api, ageing):
    housing = ThemeFactory(name="Housing")
    added = editor_api.send("post", f"themes/{ageing.pk}/see-also/", {"other": "housing"})
    assert added.status_code == 201
    assert [(r["theme"]["name"], r["see_also"]) for r in added.json()] == [("Housing", True)]
    listed = editor_api.send("get", f"themes/{housing.pk}/related").json()
    assert listed[0]["theme"]["name"] == "Ageing"
    missing = editor_api.send("post", f"themes/{ageing.pk}/see-also/", {"other": "nope"})
    assert missing.status_code == 422 and missing.json()["message"].startswith("other:")
    removed = editor_api.send("delete", f"themes/{ageing.pk}/see-also/{housing.pk}")
    assert removed.status_code == 204
    assert editor_api.send("get", f"themes/{housing.pk}/related").json() == []


def test_choices_suggest_themes_and_aliases(reader_api, ageing):
    ThemeAliasFactory(theme=ageing, name="Agedness")
    body = reader_api.send("get", "themes/choices", {"q": "age"}).json()
    assert [(c["value"], c["theme"]["name"]) for c in body] == [
        ("Ageing", "Ageing"),
        ("Agedness", "Ageing"),
    ]
