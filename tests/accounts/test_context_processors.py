import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from apps.accounts.context_processors import access
from tests.accounts.factories import UserFactory


def _context(user) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    return access(request)


def test_an_anonymous_visitor_has_no_role_and_no_powers():
    assert _context(AnonymousUser()) == {
        "user_role": None,
        "can_read": False,
        "can_submit": False,
        "can_edit": False,
        "is_admin_role": False,
    }


def test_an_anonymous_visitor_may_read_a_public_knowledge_base(settings):
    settings.SPYGLASS_PUBLIC_READ = True

    assert _context(AnonymousUser())["can_read"] is True


def test_a_request_without_a_user_is_treated_as_anonymous():
    assert access(RequestFactory().get("/"))["user_role"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            "reader",
            {"can_read": True, "can_submit": False, "can_edit": False, "is_admin_role": False},
        ),
        (
            "analyst",
            {"can_read": True, "can_submit": True, "can_edit": False, "is_admin_role": False},
        ),
        (
            "editor",
            {"can_read": True, "can_submit": True, "can_edit": True, "is_admin_role": False},
        ),
        ("admin", {"can_read": True, "can_submit": True, "can_edit": True, "is_admin_role": True}),
    ],
)
def test_templates_learn_the_role_and_what_it_allows(role, expected):
    assert _context(UserFactory(role=role)) == {"user_role": role, **expected}


@pytest.mark.django_db
def test_a_superuser_shows_as_admin():
    context = _context(UserFactory(is_superuser=True))

    assert context["user_role"] == "admin"
    assert context["is_admin_role"]


@pytest.mark.django_db
def test_the_role_is_looked_up_once_per_request(django_assert_num_queries):
    user = UserFactory(role="editor")

    # The role and the permissions in one query (roles.access_load), cached on the user.
    with django_assert_num_queries(1):
        _context(user)
        _context(user)
