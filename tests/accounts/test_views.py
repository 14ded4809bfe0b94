"""The settings page: create a token (shown once), see the list, revoke."""

import pytest
from django.urls import reverse

from apps.accounts.models import ApiToken
from apps.accounts.tokens import token_create
from tests.accounts.factories import UserFactory


@pytest.fixture
def erin(db):
    return UserFactory(username="erin", role="reader")


def test_it_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_nav_links_to_the_settings(client, erin):
    client.force_login(erin)
    page = client.get(reverse("knowledge:theme_index")).content.decode()
    assert reverse("accounts:settings") in page


def test_a_new_token_is_shown_once(client, erin):
    client.force_login(erin)
    created = client.post(reverse("accounts:settings"), {"name": "report"})
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=erin)
    html = created.content.decode()
    assert 'id="new-token"' in html and token.prefix in html
    again = client.get(reverse("accounts:settings")).content.decode()
    assert 'id="new-token"' not in again and "report" in again


def test_a_missing_name_is_named(client, erin):
    client.force_login(erin)
    response = client.post(reverse("accounts:settings"), {"name": ""})
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_needs_the_owner(client, erin):
    mine, _ = token_create(user=erin, name="mine")
    theirs, _ = token_create(user=UserFactory(username="frank", role="reader"), name="theirs")
    client.force_login(erin)
    assert client.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("accounts:token_revoke", args=[mine.pk])).status_code == 405
    response = client.post(reverse("accounts:token_revoke", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
