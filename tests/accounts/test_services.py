import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from apps.accounts.roles import role_of
from apps.accounts.services import user_set_role
from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_setting_a_role_replaces_the_previous_one():
    user = UserFactory(role="editor")

    user_set_role(user=user, role="reader")

    assert list(user.groups.values_list("name", flat=True)) == ["reader"]
    assert role_of(user) == "reader"


@pytest.mark.django_db
def test_only_the_admin_role_opens_the_django_admin():
    user = UserFactory(role="admin")
    assert user.is_staff and not user.is_superuser

    user_set_role(user=user, role="editor")

    user.refresh_from_db()
    assert not user.is_staff


@pytest.mark.django_db
def test_a_superuser_keeps_its_admin_access_whatever_its_role():
    user = UserFactory(is_superuser=True, is_staff=True)

    user_set_role(user=user, role="reader")

    user.refresh_from_db()
    assert user.is_staff


@pytest.mark.django_db
def test_setting_a_role_recreates_its_group_if_it_was_deleted():
    Group.objects.filter(name="analyst").delete()
    user = UserFactory()

    user_set_role(user=user, role="analyst")

    assert UserFactory._meta.model.objects.get(pk=user.pk).has_perm("sources.add_source")


@pytest.mark.django_db
def test_an_unknown_role_is_refused():
    with pytest.raises(ValidationError):
        user_set_role(user=UserFactory(), role="owner")
