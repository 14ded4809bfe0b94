import pytest

from tests.accounts.factories import UserFactory


@pytest.fixture
def alice(db):
    """A reader."""
    return UserFactory(username="alice", role="reader")


@pytest.fixture
def bob(db):
    """Signed up, but no role yet."""
    return UserFactory(username="bob")
