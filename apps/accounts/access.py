"""Who may read: the one place that decides, so no view can forget to check."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from apps.accounts.roles import access_load

READ_PERMISSION = "sources.view_source"
# Submitting a source is the analyst's job; curating findings and themes the editor's.
SUBMIT_PERMISSION = "sources.add_source"
EDIT_PERMISSION = "knowledge.change_signal"


def _holds(user, permission: str) -> bool:
    if not user.is_authenticated:
        return False
    # A superuser holds every permission without a query (User.has_perm says so first).
    if not user.is_superuser and not hasattr(user, "_perm_cache"):
        access_load(user)
    return user.has_perm(permission)


def can_read(user) -> bool:
    if settings.SPYGLASS_PUBLIC_READ:
        return True
    return _holds(user, READ_PERMISSION)


def can_submit(user) -> bool:
    return _holds(user, SUBMIT_PERMISSION)


def can_edit(user) -> bool:
    return _holds(user, EDIT_PERMISSION)


def role_required(check: Callable, refusal: str) -> Callable:
    """A view decorator: anonymous visitors log in first, a signed-in user failing `check`
    gets 403 with `refusal` as the reason."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if check(request.user):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied(refusal)

        return wrapped

    return decorator


# Anonymous visitors go to the login page unless SPYGLASS_PUBLIC_READ is on.
read_access = role_required(can_read, "Your account has no reader role.")
submit_access = role_required(can_submit, "Submitting and retrying links needs the analyst role.")
edit_access = role_required(can_edit, "This needs the editor role.")
