"""Sources through the API: submit links (202), read, poll, retry, re-classify, themes."""

import pytest

from apps.sources.models import Source, Submission
from tests.factories import SourceFactory, SourceKeywordFactory, ThemeFactory


def test_submitting_answers_202_with_sources_and_status_urls(analyst_api, db):
    known = SourceFactory(canonical_url="https://example.org/known")
    payload = {"urls": ["https://example.org/new", "not a link", "https://example.org/known"]}
    response = analyst_api.send("post", "sources/", payload)
    assert response.status_code == 202
    body = response.json()
    accepted = {item["position"]: item for item in body["accepted"]}
    assert accepted[0]["created"] and not accepted[2]["created"]
    assert accepted[2]["source"]["id"] == known.pk
    assert body["refused"][0]["position"] == 1 and body["refused"][0]["kind"] == "invalid"
    status = analyst_api.send("get", accepted[0]["status_url"]).json()
    assert status["status"] == "queued" and status["finished"] is False
    assert Submission.objects.count() == 2


def test_nothing_submittable_is_422_naming_the_item(analyst_api, db):
    response = analyst_api.send("post", "sources/", {"urls": ["https://ok.example/", "a\nb"]})
    assert response.status_code == 422 and "urls.1" in response.json()["message"]
    response = analyst_api.send("post", "sources/", {"urls": ["nope"]})
    assert response.status_code == 422
    assert response.json()["message"].startswith("urls.0:")
    assert response.json()["details"]["refused"][0]["text"] == "nope"
    assert not Source.objects.exists()


def test_links_that_cannot_be_fetched_are_refused_naming_the_item(analyst_api, db, settings):
    settings.SPYGLASS_FETCH = {**settings.SPYGLASS_FETCH, "allow_private": False}

    response = analyst_api.send("post", "sources/", {"urls": ["http://localhost:99999/"]})
    assert response.status_code == 422
    assert response.json()["message"] == (
        "urls.0: the port must be a number from 1 to 65535 (this one is 99999)"
    )

    payload = {"urls": ["https://example.org/fine", "http://0x7f.1/"]}
    response = analyst_api.send("post", "sources/", payload)
    assert response.status_code == 202
    (refused,) = response.json()["refused"]
    assert (refused["position"], refused["kind"]) == (1, "invalid")
    assert refused["reason"].startswith("0x7f.1 (127.0.0.1) is a loopback address")
    assert list(Source.objects.values_list("url", flat=True)) == ["https://example.org/fine"]


def test_the_detail_shows_the_record_and_pipeline(reader_api, db):
    source = SourceFactory(title="Cheap sensors")
    SourceKeywordFactory(source=source, label="sensors")
    body = reader_api.send("get", f"sources/{source.pk}").json()
    assert body["title"] == "Cheap sensors" and body["keywords"] == ["sensors"]
    assert body["category"] == "technology" and body["findings"]["signals"] == 0
    assert body["finished"] is True


def test_retry_queues_a_finished_source_and_refuses_a_busy_one(analyst_api, db):
    done = SourceFactory(status=Source.Status.FAILED, stage=Source.Stage.EXTRACT)
    response = analyst_api.send("post", f"sources/{done.pk}/retry")
    assert response.status_code == 202 and response.json()["stage"] == "extract"
    busy = analyst_api.send("post", f"sources/{done.pk}/retry")
    assert busy.status_code == 409 and busy.json()["code"] == "busy"


def test_reclassify_needs_text(editor_api, db):
    empty = SourceFactory(extracted_text="")
    assert editor_api.send("post", f"sources/{empty.pk}/reclassify", {}).status_code == 409
    source = SourceFactory(extracted_text="Some text.")
    response = editor_api.send("post", f"sources/{source.pk}/reclassify", {"classifier": "local"})
    assert response.status_code == 202 and response.json()["stage"] == "classify"
    wrong = editor_api.send("post", f"sources/{source.pk}/reclassify", {"classifier": "magic"})
    assert wrong.status_code == 422 and "classifier" in wrong.json()["details"]["fields"]


@pytest.mark.django_db
def test_theme_links_on_a_source(editor_api):
    source, theme = SourceFactory(), ThemeFactory(name="Mobility")
    added = editor_api.send("post", f"sources/{source.pk}/themes/", {"name": "mobility"})
    assert added.status_code == 201
    assert list(source.themes.all()) == [theme]
    assert editor_api.send("delete", f"sources/{source.pk}/themes/{theme.pk}").status_code == 204
    assert not source.themes.exists()


def test_the_list_uses_the_sources_page_filter(reader_api, db):
    SourceFactory(title="Solar roads", status=Source.Status.FAILED)
    SourceFactory(title="Wind farms")
    body = reader_api.send("get", "sources/", {"state": "failed"}).json()
    assert [item["title"] for item in body["items"]] == ["Solar roads"]
    body = reader_api.send("get", "sources/", {"q": "wind", "sort": "title"}).json()
    assert body["count"] == 1 and body["items"][0]["title"] == "Wind farms"


def test_a_bad_filter_is_named(reader_api, db):
    response = reader_api.send("get", "sources/", {"category": "nothing like it"})
    assert response.status_code == 422
    assert response.json()["message"].startswith("category:")
    response = reader_api.send("get", "sources/", {"date_from": "yesterday"})
    assert response.status_code == 422 and "date_from" in response.json()["details"]["fields"]


def test_the_list_costs_the_same_queries_whatever_the_page_size(
    reader_api, db, django_assert_max_num_queries
):
    from tests.factories import SourceThemeFactory

    for _ in range(12):
        SourceThemeFactory()
    reader_api.send("get", "me")  # token lookup warm-up is the same for both
    with django_assert_max_num_queries(12) as small:
        reader_api.send("get", "sources/", {"limit": 2})
    with django_assert_max_num_queries(12) as large:
        reader_api.send("get", "sources/", {"limit": 12})
    assert len(small.captured_queries) == len(large.captured_queries)
