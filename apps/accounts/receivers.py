"""Signal receivers for accounts; connected in AccountsConfig.ready."""

from django.apps import apps as global_apps
from django.apps.registry import Apps

from apps.accounts.services import roles_sync


def sync_roles_after_migrate(sender, *, using: str, apps: Apps = global_apps, **kwargs) -> None:
    """Bring the role groups back to the mapping after every migrate.

    The roles migration runs once, but a later migration can add a model whose permissions a
    role should hold, and an admin can edit a group by hand; roles are defined in code. A
    test-database flush sends this signal too, which restores the groups it deleted.
    """
    roles_sync(apps=apps, using=using)
