"""Fixtures shared by every test app. Keep this small: app fixtures live beside their tests."""

import pytest

from tests.accounts.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """Keep the SQLite test database in a file, as the default configuration does.

    Django would put it in memory, where no other process can see it; in a file (WAL mode,
    from the settings) a real Celery worker or server started by a test shares the data.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a rolled-back test leaves the database's cache
    generation where it found it, so the next test could read figures cached for other rows."""
    from django.core.cache import cache

    from apps.knowledge import cache as knowledge_cache

    cache.clear()
    knowledge_cache.forget_state()
    yield


# Personas shared by the page tests. Each `*_client` logs in the one test client, so a test
# takes at most one of them; for other roles log a UserFactory(role=...) in by hand.


@pytest.fixture
def editor(db):
    """Erin, an editor."""
    return UserFactory(username="erin", role="editor")


@pytest.fixture
def editor_client(client, editor):
    """The test client, logged in as Erin the editor."""
    client.force_login(editor)
    return client


@pytest.fixture
def reader_client(client, db):
    """The test client, logged in as Rita, a reader."""
    client.force_login(UserFactory(username="rita", role="reader"))
    return client
