"""API tokens through the API: who am I, list, create (shown once), revoke."""

from apps.accounts.models import ApiToken


def test_me_says_who_and_what_role(editor_api):
    body = editor_api.send("get", "me").json()
    assert body["username"] == "api-editor"
    assert body["role"] == "editor"
    assert body["can_edit"] and not body["can_administer"]


def test_a_token_is_created_shown_once_and_stored_hashed(reader_api):
    created = reader_api.send("post", "tokens/", {"name": "report script"})
    assert created.status_code == 201
    secret = created.json()["token"]
    assert secret.startswith("spy_") and len(secret) > 40
    row = ApiToken.objects.get(pk=created.json()["id"])
    assert secret not in (row.hash, row.prefix) and secret.startswith(row.prefix)
    listed = reader_api.send("get", "tokens/").json()
    assert {t["name"] for t in listed} == {"reader script", "report script"}
    assert all("token" not in t for t in listed)


def test_the_new_token_works_until_revoked(reader_api):
    created = reader_api.send("post", "tokens/", {"name": "temporary"}).json()
    reader_api.token = created["token"]
    assert reader_api.send("get", "me").status_code == 200
    assert reader_api.send("delete", f"tokens/{created['id']}").status_code == 204
    refused = reader_api.send("get", "me")
    assert refused.status_code == 401
    assert refused.json()["code"] == "not_authenticated"
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_nobody_revokes_another_users_token(reader_api, editor_api):
    other = editor_api.send("get", "tokens/").json()[0]
    assert reader_api.send("delete", f"tokens/{other['id']}").status_code == 404
    assert ApiToken.objects.get(pk=other["id"]).revoked_at is None


def test_a_token_name_is_required(reader_api):
    response = reader_api.send("post", "tokens/", {"name": ""})
    assert response.status_code == 422
    assert response.json()["message"].startswith("name:")
    assert "name" in response.json()["details"]["fields"]
