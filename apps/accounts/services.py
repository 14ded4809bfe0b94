"""Writes for accounts: keeping the role groups true to the mapping, creating users."""

import secrets

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DEFAULT_DB_ALIAS, transaction

from apps.accounts.roles import ADMIN, ROLE_PERMISSIONS, ROLES


def roles_sync(*, apps: Apps = global_apps, using: str = DEFAULT_DB_ALIAS) -> set[str]:
    """Make each role group hold exactly its mapped permissions; return the ones not found.

    Runs from the roles migration (with historical models) and after every migrate. It
    creates the permissions first because on a fresh database Django only does so once all
    migrations have run. A permission still missing belongs to a model a later migration
    adds; the post_migrate run picks it up.
    """
    try:
        group_model = apps.get_model("auth", "Group")
        permission_model = apps.get_model("auth", "Permission")
    except LookupError:  # migrated back past auth: nothing to attach roles to
        return set()
    wanted = set().union(*ROLE_PERMISSIONS.values())
    labels = {name.split(".", 1)[0] for name in wanted}
    for label in labels:
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps, using=using)
    found = {
        f"{label}.{codename}": pk
        for pk, label, codename in permission_model.objects.using(using)
        .filter(content_type__app_label__in=labels)
        .values_list("pk", "content_type__app_label", "codename")
    }
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.using(using).get_or_create(name=role)
        group.permissions.set([found[name] for name in names if name in found])
    return wanted - found.keys()


def user_set_role(*, user: AbstractBaseUser, role: str) -> None:
    """Give the user exactly one role; only the admin role opens the Django admin."""
    if role not in ROLES:
        raise ValidationError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLES)}
    if role not in groups:  # someone deleted a group; the mapping says what it must be
        roles_sync()
        groups = {group.name: group for group in Group.objects.filter(name__in=ROLES)}
    with transaction.atomic():
        user.groups.remove(*(group for name, group in groups.items() if name != role))
        user.groups.add(groups[role])
        if not user.is_superuser:
            user.is_staff = role == ADMIN
            user.save(update_fields=["is_staff"])
    user.__dict__.pop("_spyglass_role", None)


def password_generate() -> str:
    return secrets.token_urlsafe(18)


def password_check(*, password: str, username: str, email: str = "") -> None:
    """Raise ValidationError listing every validator the password fails."""
    candidate = get_user_model()(username=username, email=email)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from None


def user_create(*, username: str, role: str, password: str, email: str = "") -> AbstractBaseUser:
    """Create an active user with one role, after the same checks the admin forms make."""
    user_model = get_user_model()
    username_field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    try:
        username_field.run_validators(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.error_list}) from None
    if user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).exists():
        raise ValidationError({"username": f"A user named {username!r} already exists."})
    _check_email(email)
    password_check(password=password, username=username, email=email)
    with transaction.atomic():
        user = user_model._default_manager.create_user(
            username=username, email=email, password=password
        )
        user_set_role(user=user, role=role)
    return user


def user_update(
    *, user: AbstractBaseUser, role: str, email: str | None = None, password: str | None = None
) -> None:
    """Change an existing user's role, and its email and password when given."""
    if email:
        _check_email(email)
        user.email = email
    if password is not None:
        password_check(password=password, username=user.get_username(), email=user.email)
        user.set_password(password)
    with transaction.atomic():
        user.save()
        user_set_role(user=user, role=role)


def _check_email(email: str) -> None:
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError({"email": exc.error_list}) from None
