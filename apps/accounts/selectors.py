"""Reads for accounts."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from apps.accounts.roles import ADMIN


def admin_users() -> QuerySet:
    """Active users who can administer Spyglass: the admin role, or superusers."""
    return (
        get_user_model()
        ._default_manager.filter(Q(groups__name=ADMIN) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("pk")
    )
