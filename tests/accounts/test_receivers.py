import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from apps.accounts.roles import ROLE_PERMISSIONS


@pytest.mark.django_db
def test_migrate_restores_a_permission_removed_from_a_role():
    editors = Group.objects.get(name="editor")
    editors.permissions.remove(Permission.objects.get(codename="change_signal"))

    call_command("migrate", verbosity=0)

    assert editors.permissions.filter(codename="change_signal").exists()
    assert editors.permissions.count() == len(ROLE_PERMISSIONS["editor"])


@pytest.mark.django_db
def test_migrate_takes_away_a_permission_added_to_a_role_by_hand():
    readers = Group.objects.get(name="reader")
    readers.permissions.add(Permission.objects.get(codename="delete_source"))

    call_command("migrate", verbosity=0)

    assert not readers.permissions.filter(codename="delete_source").exists()


@pytest.mark.django_db
def test_migrate_recreates_a_deleted_role():
    Group.objects.filter(name="analyst").delete()

    call_command("migrate", verbosity=0)

    assert Group.objects.get(name="analyst").permissions.count() == len(ROLE_PERMISSIONS["analyst"])
