"""Fixtures shared by every test app. Keep this small: app fixtures live beside their tests."""

import pytest


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
