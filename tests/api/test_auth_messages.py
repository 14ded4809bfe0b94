"""A refused Authorization header says why, so a script's author knows what to fix."""

import pytest

from apps.accounts.tokens import token_create, token_revoke
from tests.accounts.factories import UserFactory
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def _refusal(client) -> str:
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="spyglass"'
    return response.json()["message"]


def test_no_credentials_says_how_to_send_a_token():
    assert "Authorization: Bearer" in _refusal(ApiClient())


def test_a_revoked_token_says_it_is_not_accepted_and_what_to_do():
    user = UserFactory(role="reader")
    token, plaintext = token_create(user=user, name="old script")
    token_revoke(token=token, user=user)

    message = _refusal(ApiClient(plaintext))

    assert "not accepted" in message and "revoked" in message and "settings page" in message


def test_a_mistyped_token_says_it_is_not_accepted():
    assert "not accepted" in _refusal(ApiClient("spy_not-a-real-token"))


def test_another_scheme_says_to_use_bearer(client):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Token spy_abc")

    assert response.status_code == 401
    assert response.json()["message"] == "Send the API token as 'Authorization: Bearer <token>'."
