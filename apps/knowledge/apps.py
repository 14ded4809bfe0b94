from django.apps import AppConfig
from django.db.models.signals import post_migrate


class KnowledgeConfig(AppConfig):
    name = "apps.knowledge"
    label = "knowledge"

    def ready(self) -> None:
        from apps.knowledge import receivers

        post_migrate.connect(
            receivers.seed_empty_vocabularies,
            sender=self,
            dispatch_uid="apps.knowledge.receivers.seed_empty_vocabularies",
        )
        receivers.connect_cache_receivers()
