"""`manage.py api_token`: create (printed once), list, revoke."""

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import ApiToken
from apps.accounts.tokens import token_authenticate
from tests.accounts.factories import UserFactory


@pytest.fixture
def dave(db):
    return UserFactory(username="dave", role="analyst")


def test_it_prints_a_working_token(dave, capsys):
    call_command("api_token", "dave", "--name", "feeder")
    secret = capsys.readouterr().out.strip()
    token = token_authenticate(secret)
    assert token.user == dave and token.name == "feeder"


def test_it_lists_and_revokes(dave, capsys):
    call_command("api_token", "dave")
    token = ApiToken.objects.get(user=dave)
    capsys.readouterr()
    call_command("api_token", "dave", "--list")
    listing = capsys.readouterr().out
    assert token.prefix in listing and "active" in listing
    call_command("api_token", "dave", "--revoke", str(token.pk))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_it_names_what_is_wrong(dave):
    with pytest.raises(CommandError, match="No user named 'erin'"):
        call_command("api_token", "erin")
    with pytest.raises(CommandError, match="no token with id 999"):
        call_command("api_token", "dave", "--revoke", "999")
