from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"

    def ready(self) -> None:
        from apps.accounts import receivers

        post_migrate.connect(
            receivers.sync_roles_after_migrate,
            sender=self,
            dispatch_uid="apps.accounts.receivers.sync_roles_after_migrate",
        )
