"""What the signed-in user may do, for templates (base.html shows `user_role`)."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from apps.accounts.access import can_edit, can_read, can_submit
from apps.accounts.roles import ADMIN, role_of


def access(request: HttpRequest) -> dict:
    # Requests built outside the middleware stack (RequestFactory, error pages) may lack a user.
    user = getattr(request, "user", None) or AnonymousUser()
    role = role_of(user)
    return {
        "user_role": role,
        "can_read": can_read(user),
        "can_submit": can_submit(user),
        "can_edit": can_edit(user),
        "is_admin_role": role == ADMIN,
    }
