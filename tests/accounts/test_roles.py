import itertools

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser, Group, Permission

from apps.accounts.roles import ROLE_PERMISSIONS, ROLES, access_load, role_of
from apps.accounts.services import roles_sync
from tests.accounts.factories import UserFactory


def _codenames(group: Group) -> set[str]:
    return {
        f"{label}.{codename}"
        for label, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_group_holds_exactly_its_mapped_permissions(role):
    assert _codenames(Group.objects.get(name=role)) == ROLE_PERMISSIONS[role]


def test_each_role_includes_everything_the_role_below_can_do():
    for lower, higher in itertools.pairwise(ROLES):
        assert ROLE_PERMISSIONS[lower] < ROLE_PERMISSIONS[higher]


@pytest.mark.django_db
def test_every_mapped_permission_exists():
    assert roles_sync() == set()


@pytest.mark.parametrize("label", ["knowledge", "sources"])
def test_readers_can_view_every_knowledge_and_sources_model(label):
    # Fails when a model is added without deciding who may see it: update roles.py.
    for model in apps.get_app_config(label).get_models():
        assert f"{label}.view_{model._meta.model_name}" in ROLE_PERMISSIONS["reader"]


# Who (lowest role first) holds a permission; None means no role does.
LOWEST_ROLE = {
    "sources.view_source": "reader",
    "knowledge.view_theme": "reader",
    "knowledge.view_signaltheme": "reader",
    "core.view_auditentry": "reader",
    "sources.add_source": "analyst",
    "sources.change_source": "analyst",
    "knowledge.add_signal": "editor",
    "knowledge.change_issuetheme": "editor",
    "knowledge.delete_theme": "editor",
    "knowledge.change_themealias": "editor",
    "knowledge.add_keyword": "editor",
    "knowledge.change_category": "editor",
    "knowledge.delete_sourcetype": "editor",
    "sources.change_sourcetheme": "editor",
    "sources.delete_sourcekeyword": "editor",
    "sources.add_extrasection": "editor",
    "sources.delete_source": "editor",
    "auth.view_user": "admin",
    "auth.add_user": "admin",
    "auth.change_user": "admin",
    "auth.delete_group": "admin",
    "core.change_auditentry": None,
    "core.delete_auditentry": None,
    "core.view_workerheartbeat": None,
    "auth.change_permission": None,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("perm", "lowest"), LOWEST_ROLE.items())
def test_a_role_has_a_permission_only_from_the_role_that_grants_it(role, perm, lowest):
    user = UserFactory(role=role)
    expected = lowest is not None and ROLES.index(role) >= ROLES.index(lowest)
    assert user.has_perm(perm) is expected


@pytest.mark.django_db
def test_role_of_gives_the_highest_role_held():
    user = UserFactory(role="analyst")
    user.groups.add(Group.objects.get(name="reader"), Group.objects.get(name="editor"))
    assert role_of(user) == "editor"


@pytest.mark.django_db
def test_role_of_counts_a_superuser_as_admin():
    assert role_of(UserFactory(is_superuser=True)) == "admin"


@pytest.mark.django_db
def test_role_of_is_none_without_a_role():
    assert role_of(AnonymousUser()) is None
    assert role_of(UserFactory()) is None
    assert role_of(UserFactory(role="editor", is_active=False)) is None


@pytest.mark.django_db
def test_access_load_reads_the_role_and_every_permission_in_one_query(
    django_assert_num_queries,
):
    user = UserFactory(role="analyst")
    user.groups.add(Group.objects.get(name="reader"))
    user.user_permissions.add(Permission.objects.get(codename="change_theme"))
    user = type(user).objects.get(pk=user.pk)  # no cache left from the factory

    with django_assert_num_queries(1):
        access_load(user)
        assert role_of(user) == "analyst"
        # Django's ModelBackend answers from what access_load cached: no query of its own.
        assert user.has_perm("sources.add_source")  # through the analyst group
        assert user.has_perm("knowledge.change_theme")  # the user's own permission
        assert not user.has_perm("knowledge.change_signal")
        assert user.get_all_permissions() == ROLE_PERMISSIONS["analyst"] | {
            "knowledge.change_theme"
        }
