"""Unsubscribe links: signed, tamper-proof, expiring; they work without signing in."""

import time

import pytest
from django.core import signing
from django.urls import reverse

from apps.digests.models import DigestPreference, Frequency
from apps.digests.tokens import SALT, TokenError, unsubscribe_token, user_for_token


class OldSigner(signing.TimestampSigner):
    """Signs as if it were `age` seconds ago: how an old e-mail's link looks."""

    def __init__(self, *args, age: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.age = age

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - self.age)


def old_token(user, days: int) -> str:
    return OldSigner(salt=SALT, age=days * 86400).sign_object({"u": user.pk}, compress=True)


def test_a_token_names_its_user(rita):
    assert user_for_token(unsubscribe_token(rita)) == rita


def test_a_tampered_token_is_refused(rita):
    token = unsubscribe_token(rita)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    with pytest.raises(TokenError, match="not valid"):
        user_for_token(tampered)


def test_a_token_for_something_else_is_refused(rita):
    other = signing.dumps({"u": rita.pk}, salt="another.purpose")

    with pytest.raises(TokenError, match="not valid"):
        user_for_token(other)


def test_a_token_older_than_the_setting_has_expired(rita, settings):
    settings.SPYGLASS_DIGEST_UNSUBSCRIBE_DAYS = 30

    assert user_for_token(old_token(rita, days=29)) == rita
    with pytest.raises(TokenError, match="expired"):
        user_for_token(old_token(rita, days=31))


def test_a_token_of_a_deleted_account_says_so(rita):
    token = unsubscribe_token(rita)
    rita.delete()

    with pytest.raises(TokenError, match="no longer exists"):
        user_for_token(token)


def url(token: str) -> str:
    return reverse("digests:unsubscribe", args=[token])


def test_the_link_asks_to_confirm_without_signing_in(client, rita):
    response = client.get(url(unsubscribe_token(rita)))

    assert response.status_code == 200
    assert "Stop the digest e-mails for rita?" in response.content.decode()
    assert not DigestPreference.objects.exists()  # a link scanner's GET changes nothing


def test_the_one_click_post_turns_the_emails_off(client, rita):
    response = client.post(url(unsubscribe_token(rita)), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "turned off" in response.content.decode()
    assert DigestPreference.objects.get(user=rita).frequency == Frequency.NEVER


def test_the_one_click_post_needs_no_csrf_token(rita):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(url(unsubscribe_token(rita)), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert DigestPreference.objects.get(user=rita).frequency == Frequency.NEVER


def test_a_broken_link_says_what_to_do_instead(client, rita):
    response = client.post(url("not-a-token"))

    assert response.status_code == 400
    text = response.content.decode()
    assert "not valid" in text and reverse("digests:settings") in text
    assert not DigestPreference.objects.exists()
