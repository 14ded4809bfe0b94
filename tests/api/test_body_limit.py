"""A request body over Django's limit is a JSON 413 naming the limit, never a 500 or HTML."""

from apps.sources.models import Source
from tests.factories import SignalFactory, SourceFactory


def test_too_much_pasted_text_is_a_413_that_names_the_limit(analyst_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, 2.5 MB
    source = SourceFactory(status=Source.Status.BLOCKED)

    response = analyst_api.send("post", f"sources/{source.pk}/text", {"text": "x" * 3_000_000})

    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert "2.5 MB" in body["message"]
    assert body["details"] == {"limit_bytes": 2_621_440}
    source.refresh_from_db()
    assert source.status == "blocked"


def test_a_huge_patch_is_a_413_and_the_finding_is_unchanged(editor_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    signal = SignalFactory(description="As it was.")

    response = editor_api.send(
        "patch",
        f"findings/signals/{signal.pk}",
        {"description": "y" * (2 * 1024 * 1024), "version": 1},
    )

    assert response.status_code == 413
    assert "1 MB" in response.json()["message"]
    signal.refresh_from_db()
    assert signal.description == "As it was."


def test_413_is_documented_on_every_operation_that_takes_a_body(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    with_body = [
        (method, path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]
    assert with_body
    for method, path, operation in with_body:
        assert "413" in operation["responses"], f"{method.upper()} {path}"
