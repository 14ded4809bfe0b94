"""Repeated failed logins are refused for a while, per account and per address (django-axes)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")


def fail(client, username="alice", address="203.0.113.7", times=1):
    for _ in range(times):
        response = client.post(
            LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=address
        )
    return response


def test_failures_under_the_limit_are_answered_normally(client, alice, settings):
    response = fail(client, times=settings.AXES_FAILURE_LIMIT - 1)

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_the_limit_locks_the_account_and_says_when_to_try_again(client, alice, settings):
    fail(client, times=settings.AXES_FAILURE_LIMIT)

    # Even the right password is refused now, from another address too.
    response = client.post(
        LOGIN, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="198.51.100.1"
    )

    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed logins" in html
    assert "Try again in 15 minutes" in html
    assert response["Retry-After"] == str(15 * 60)
    assert 'name="username"' in html  # still the login page
    assert "_auth_user_id" not in client.session


def test_the_limit_locks_the_address_for_every_account(client, alice, settings):
    carol = UserFactory(username="carol", role="reader")
    for number in range(settings.AXES_FAILURE_LIMIT):
        fail(client, username=f"guess{number}")

    response = client.post(
        LOGIN, {"username": carol.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )

    assert response.status_code == 429


def test_other_accounts_and_addresses_are_not_locked(client, alice, settings):
    UserFactory(username="carol", role="reader")
    fail(client, times=settings.AXES_FAILURE_LIMIT)

    response = client.post(
        LOGIN, {"username": "carol", "password": PASSWORD}, REMOTE_ADDR="198.51.100.1"
    )

    assert response.status_code == 302


def test_a_good_login_clears_the_count(client, alice, settings):
    fail(client, times=settings.AXES_FAILURE_LIMIT - 1)
    client.post(LOGIN, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    client.logout()

    response = fail(client, times=settings.AXES_FAILURE_LIMIT - 1)

    assert response.status_code == 200


@pytest.mark.parametrize("behind_proxy, counted", [(False, "10.0.0.2"), (True, "203.0.113.9")])
def test_behind_a_proxy_the_forwarded_address_is_counted(rf, behind_proxy, counted):
    from apps.accounts.throttle import client_address

    request = rf.post(LOGIN, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    with override_settings(SPYGLASS_BEHIND_PROXY=behind_proxy):
        assert client_address(request) == counted


@pytest.mark.parametrize(
    "minutes, words", [(1, "1 minute"), (15, "15 minutes"), (60, "1 hour"), (120, "2 hours")]
)
def test_the_wait_reads_as_words(minutes, words):
    from datetime import timedelta

    from apps.accounts.throttle import wait_in_words

    assert wait_in_words(timedelta(minutes=minutes)) == words
