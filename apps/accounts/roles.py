"""The four roles and what each may do: the one mapping the migration, the post_migrate
sync, the tests and docs/roles.md follow.

Roles are Django groups holding model permissions. Each role includes everything the
role below it can do, so a user needs only one group.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db.models import QuerySet, Value

from apps.core.prepared import Prepared

READER = "reader"
ANALYST = "analyst"
EDITOR = "editor"
ADMIN = "admin"
# Lowest first: a role's rank is its position here.
ROLES = (READER, ANALYST, EDITOR, ADMIN)


def _model_perms(app_label: str, actions: tuple[str, ...], models: tuple[str, ...]) -> set[str]:
    return {f"{app_label}.{action}_{model}" for model in models for action in actions}


KNOWLEDGE_MODELS = (
    "category",
    "sourcetype",
    "keyword",
    "theme",
    "themealias",
    "signal",
    "behavior",
    "technology",
    "issue",
    "signaltheme",
    "behaviortheme",
    "technologytheme",
    "issuetheme",
    "themesuggestion",
    "themerelation",
)
SOURCES_MODELS = (
    "source",
    "submission",
    "sourcekeyword",
    "sourcetheme",
    "extrasection",
    "classificationrun",
    "hostslot",
)
# Everything an editor curates except the Source rows themselves, which analysts submit.
SOURCES_CURATED = ("sourcekeyword", "sourcetheme", "extrasection")
WRITE = ("add", "change", "delete")

_READER = (
    _model_perms("knowledge", ("view",), KNOWLEDGE_MODELS)
    | _model_perms("sources", ("view",), SOURCES_MODELS)
    | {"core.view_auditentry"}
    # The cache's generation number (apps/knowledge/cache.py): nothing to see, nothing to edit.
    | {"knowledge.view_cachegeneration"}
)
# Submitting is adding a source; changing one is how a failed ingest is retried.
_ANALYST = _READER | {"sources.add_source", "sources.change_source", "sources.add_submission"}
_EDITOR = (
    _ANALYST
    | _model_perms("knowledge", WRITE, KNOWLEDGE_MODELS)
    | _model_perms("sources", WRITE, SOURCES_CURATED)
    | {"sources.delete_source"}
)
_ADMIN = _EDITOR | _model_perms("auth", (*WRITE, "view"), ("user", "group"))

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    READER: frozenset(_READER),
    ANALYST: frozenset(_ANALYST),
    EDITOR: frozenset(_EDITOR),
    ADMIN: frozenset(_ADMIN),
}


def role_of(user: AbstractBaseUser | AnonymousUser | None) -> str | None:
    """The highest role the user holds, or None for anonymous and role-less users.

    A superuser counts as admin: it can do everything an admin can.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    # Templates ask on every render; one query per request is enough.
    if not hasattr(user, "_spyglass_role"):
        if user.is_superuser:
            user._spyglass_role = ADMIN
        else:
            access_load(user)
    return user._spyglass_role


def _access_query(user_id: int) -> QuerySet:
    # order_by(): a part of a UNION may not sort (Permission sorts by default).
    permissions = Permission.objects.order_by()
    own = permissions.filter(user=user_id).annotate(via=Value("user"))
    grouped = permissions.filter(group__user=user_id).annotate(via=Value("group"))
    held = Group.objects.filter(user=user_id, name__in=ROLES).annotate(
        via=Value("role"), none=Value("")
    )
    return own.values_list("via", "content_type__app_label", "codename").union(
        grouped.values_list("via", "content_type__app_label", "codename"),
        held.order_by().values_list("via", "name", "none"),
        all=True,
    )


# Every page runs it: compiled once per process (apps/core/prepared.py).
ACCESS = Prepared(_access_query)


def access_load(user: AbstractBaseUser) -> None:
    """Read the user's role and permissions in one query, where Django's ModelBackend and
    role_of would spend three (own permissions, the groups' permissions, the role groups)
    on every page. Fills the caches both read: ModelBackend's `_user_perm_cache`,
    `_group_perm_cache` and `_perm_cache` (its private names, which it has kept since
    Django 1.x; tests/accounts/test_roles.py checks that it still reads them), and
    role_of's `_spyglass_role`."""
    found: dict[str, set[str]] = {"user": set(), "group": set(), "role": set()}
    for via, label, codename in ACCESS.rows(user.pk, using=user._state.db or "default"):
        found[via].add(f"{label}.{codename}" if via != "role" else label)
    user._user_perm_cache = found["user"]
    user._group_perm_cache = found["group"]
    user._perm_cache = found["user"] | found["group"]
    user._spyglass_role = next((name for name in reversed(ROLES) if name in found["role"]), None)
