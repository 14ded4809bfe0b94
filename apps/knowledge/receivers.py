"""Signal receivers for knowledge; connected in KnowledgeConfig.ready."""

from importlib import import_module

from django.apps import apps as global_apps
from django.apps.registry import Apps

# The data migration that first seeded the vocabularies; reused so the defaults live in one
# place (a migration module's name starts with a digit, so it is imported by path).
_DEFAULTS = "apps.knowledge.migrations.0003_default_vocabularies"


def seed_empty_vocabularies(sender, *, using: str, apps: Apps = global_apps, **kwargs) -> None:
    """Give the category and type vocabularies their defaults again when both are empty.

    The defaults come from a data migration, which runs once; a flush (which tests with real
    transactions do between tests, and `manage.py flush` does on demand) empties the tables
    and sends this signal. Nothing happens while either table has rows, so a category an
    editor deleted stays deleted.
    """
    try:
        category = apps.get_model("knowledge", "Category")
        source_type = apps.get_model("knowledge", "SourceType")
    except LookupError:  # migrating backwards past the models
        return
    if category.objects.using(using).exists() or source_type.objects.using(using).exists():
        return
    import_module(_DEFAULTS).seed(apps, None)
