import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from apps.accounts.access import can_edit, can_read, can_submit, read_access
from apps.accounts.roles import ROLES
from tests.accounts.factories import UserFactory


@read_access
def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("the knowledge base")


def _get(user) -> HttpResponse:
    request = RequestFactory().get("/themes/?q=ai")
    request.user = user
    return page(request)


def test_read_access_sends_an_anonymous_visitor_to_log_in():
    response = _get(AnonymousUser())

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/themes/%3Fq%3Dai"


def test_read_access_refuses_a_user_without_a_role(bob):
    with pytest.raises(PermissionDenied):
        _get(bob)


def test_read_access_lets_a_reader_in(alice):
    assert _get(alice).status_code == 200


def test_read_access_lets_anyone_in_when_reading_is_public(settings):
    settings.SPYGLASS_PUBLIC_READ = True

    assert _get(AnonymousUser()).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "read", "submit", "edit"),
    [
        (None, False, False, False),
        ("reader", True, False, False),
        ("analyst", True, True, False),
        ("editor", True, True, True),
        ("admin", True, True, True),
    ],
)
def test_what_each_role_may_do(role, read, submit, edit):
    user = UserFactory(role=role)

    assert (can_read(user), can_submit(user), can_edit(user)) == (read, submit, edit)


def test_an_anonymous_visitor_may_not_submit_or_edit_even_when_reading_is_public(settings):
    settings.SPYGLASS_PUBLIC_READ = True

    assert not can_submit(AnonymousUser())
    assert not can_edit(AnonymousUser())


def test_roles_are_listed_lowest_first():
    assert ROLES == ("reader", "analyst", "editor", "admin")
