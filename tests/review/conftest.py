import pytest

from tests.accounts.factories import UserFactory


@pytest.fixture
def bob(db):
    """A second editor, whose changes the first one's requests run into."""
    return UserFactory(username="bob", role="editor")
