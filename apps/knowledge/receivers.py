"""Signal receivers for knowledge; connected in KnowledgeConfig.ready."""

from importlib import import_module

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.core.signals import request_started
from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.knowledge import cache

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


# Source columns only the pipeline writes: they change no count the cache keeps.
PIPELINE_FIELDS = frozenset(
    {
        "status",
        "stage",
        "status_changed_at",
        "claimed_by",
        "attempts",
        "next_attempt_at",
        "failure_code",
        "failure_message",
        "http_status",
        "content_type",
        "charset",
        "fetched_at",
        "raw_content",
        "extracted_text",
        "next_classifier",
        "classify_requested_by",
    }
)


def _saved(sender, *, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= PIPELINE_FIELDS:
        return
    cache.knowledge_changed()


def _changed(sender, **kwargs) -> None:
    cache.knowledge_changed()


def connect_cache_receivers() -> None:
    """Saves and deletes of what the cached figures count retire them (apps/knowledge/cache.py).

    Connected per model, never for every sender: a delete receiver on a model turns off
    Django's fast (SQL-only) cascade for it, which only these models give up.
    """
    from apps.knowledge.models import (
        FINDING_MODELS,
        Category,
        SourceType,
        Theme,
        ThemeAlias,
        ThemeRelation,
    )
    from apps.sources.models import Source, SourceTheme

    links = [model.themes.through for model in FINDING_MODELS.values()] + [SourceTheme]
    vocabularies = [Theme, ThemeAlias, ThemeRelation, Category, SourceType]
    for model in [Source, *vocabularies, *FINDING_MODELS.values(), *links]:
        uid = f"knowledge-cache-{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    for model in links:
        m2m_changed.connect(_changed, sender=model, dispatch_uid=f"knowledge-cache-m2m-{model}")
    request_started.connect(cache.forget_state, dispatch_uid="knowledge-cache-request")
