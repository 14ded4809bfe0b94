import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.accounts.roles import ROLE_PERMISSIONS

roles_migration = importlib.import_module("apps.accounts.migrations.0001_roles")


@pytest.mark.django_db
def test_the_roles_migration_works_before_django_has_created_any_permission():
    # On a fresh database Django creates permissions only after the last migration.
    Group.objects.all().delete()
    Permission.objects.all().delete()
    state = MigrationExecutor(connection).loader.project_state(("accounts", "0001_roles"))
    # The operation only needs the connection; a real schema editor cannot be opened inside
    # a test's transaction on SQLite.
    editor = SimpleNamespace(connection=connection)

    roles_migration.Migration.operations[0].code(state.apps, editor)

    # Models that later migrations add get their permissions from the post_migrate sync.
    known = {(m._meta.app_label, m._meta.model_name) for m in state.apps.get_models()}
    expected = {
        name for name in ROLE_PERMISSIONS["editor"]
        if (name.split(".")[0], name.split("_", 1)[1]) in known
    }  # fmt: skip
    editors = Group.objects.get(name="editor")
    assert editors.permissions.count() == len(expected)
    assert editors.permissions.filter(codename="change_signal").exists()
