"""Token services: created with a secret shown once, stored hashed, checked, revoked."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import ApiToken
from apps.accounts.tokens import token_authenticate, token_create, token_revoke, tokens_of
from apps.core.models import AuditEntry
from tests.accounts.factories import UserFactory


@pytest.fixture
def carol(db):
    return UserFactory(username="carol", role="editor")


def test_it_stores_only_a_hash_and_a_prefix(carol):
    token, plaintext = token_create(user=carol, name="  weekly   report ")
    token.refresh_from_db()
    assert token.name == "weekly report"
    assert token.hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext.startswith(token.prefix) and len(token.prefix) == 12
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert plaintext not in {str(value) for value in stored.values()}


def test_it_recognises_its_token_and_nothing_else(carol):
    token, plaintext = token_create(user=carol, name="script")
    assert token_authenticate(plaintext) == token
    assert token_authenticate(plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B")) is None
    assert token_authenticate("not a token") is None
    assert token_authenticate("") is None


def test_it_notes_when_a_token_was_last_used(carol):
    token, plaintext = token_create(user=carol, name="script")
    assert token.last_used is None
    token_authenticate(plaintext)
    token.refresh_from_db()
    assert token.last_used is not None


def test_a_revoked_token_or_an_inactive_user_is_refused(carol):
    first, first_secret = token_create(user=carol, name="one")
    _, second_secret = token_create(user=carol, name="two")
    token_revoke(token=first, user=carol)
    assert token_authenticate(first_secret) is None
    assert token_authenticate(second_secret) is not None
    carol.is_active = False
    carol.save()
    assert token_authenticate(second_secret) is None


def test_revoking_twice_keeps_the_first_date(carol):
    token, _ = token_create(user=carol, name="one")
    when = token_revoke(token=token).revoked_at
    assert token_revoke(token=token).revoked_at == when


def test_creating_and_revoking_are_audited(carol):
    token, _ = token_create(user=carol, name="one")
    token_revoke(token=token, user=carol)
    actions = set(AuditEntry.objects.filter(target_id=token.pk).values_list("action", flat=True))
    assert actions == {"create", "update"}


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_sensible_name(carol, name):
    with pytest.raises(ValidationError) as error:
        token_create(user=carol, name=name)
    assert "name" in error.value.message_dict
    assert not tokens_of(carol).exists()
