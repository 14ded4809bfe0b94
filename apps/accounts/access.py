"""Who may read: the one place that decides, so no view can forget to check."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

READ_PERMISSION = "sources.view_source"
# Submitting a source is the analyst's job; curating findings and themes the editor's.
SUBMIT_PERMISSION = "sources.add_source"
EDIT_PERMISSION = "knowledge.change_signal"


def can_read(user) -> bool:
    if settings.SPYGLASS_PUBLIC_READ:
        return True
    return user.is_authenticated and user.has_perm(READ_PERMISSION)


def can_submit(user) -> bool:
    return user.is_authenticated and user.has_perm(SUBMIT_PERMISSION)


def can_edit(user) -> bool:
    return user.is_authenticated and user.has_perm(EDIT_PERMISSION)


def read_access(view: Callable) -> Callable:
    """Let a request through if it may read the knowledge base.

    Anonymous visitors go to the login page unless SPYGLASS_PUBLIC_READ is on; a signed-in
    user without the reader role gets 403.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if can_read(request.user):
            return view(request, *args, **kwargs)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("Your account has no reader role.")

    return wrapped
