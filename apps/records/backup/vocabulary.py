"""The theme vocabulary in a backup: themes with their status and merges, aliases,
see-also relations, categories and source types. Restored before the records, so record
theme names resolve as they did, and a restore into an empty database gives the same
vocabulary back."""

from django.apps import apps

from apps.knowledge.models import Category, SourceType, Theme, ThemeAlias
from apps.records.backup.manifest import Vocabulary, VocabularyEntry


def _relation_model():
    """ThemeRelation ("see also") when this version has it."""
    try:
        return apps.get_model("knowledge", "ThemeRelation")
    except LookupError:
        return None


def relations_for_backup() -> list[dict]:
    model = _relation_model()
    if model is None:
        return []
    links = model.objects.select_related("theme_a", "theme_b").order_by("pk")
    return [{"theme": link.theme_a.slug, "other": link.theme_b.slug} for link in links]


def vocabulary_restore(vocabulary: Vocabulary) -> dict[str, Theme]:
    """Create or update every theme by slug, then merges, aliases and relations.

    Returns the themes by slug. Themes the backup does not name are left as they are.
    """
    for entry in vocabulary.themes:
        theme, _ = Theme.objects.update_or_create(
            slug=entry.slug,
            defaults={
                "name": entry.name,
                "description": entry.description,
                "status": entry.status,
                "merged_into": None,
            },
        )
        if entry.created_at:
            Theme.objects.filter(pk=theme.pk).update(created_at=entry.created_at)
    themes = {theme.slug: theme for theme in Theme.objects.filter(slug__in=theme_slugs(vocabulary))}
    for entry in vocabulary.themes:
        if entry.merged_into:
            Theme.objects.filter(slug=entry.slug).update(merged_into=themes[entry.merged_into])
    for alias in vocabulary.aliases:
        ThemeAlias.objects.update_or_create(
            key=alias.key, defaults={"theme": themes[alias.theme], "name": alias.name}
        )
    model = _relation_model()
    if model is not None:
        for relation in vocabulary.relations:
            # One row per pair, the lower id first (the model's check constraint).
            low, high = sorted((themes[relation.theme], themes[relation.other]), key=lambda t: t.pk)
            if low.pk != high.pk:
                model.objects.get_or_create(theme_a=low, theme_b=high)
    _entries_restore(Category, vocabulary.categories)
    _entries_restore(SourceType, vocabulary.source_types)
    return themes


def theme_slugs(vocabulary: Vocabulary) -> set[str]:
    return {entry.slug for entry in vocabulary.themes}


def _entries_restore(model, entries: list[VocabularyEntry]) -> None:
    """By name (as imports match them), else by slug; the backup's description wins."""
    for entry in entries:
        existing = (
            model.objects.filter(name__iexact=entry.name).first()
            or model.objects.filter(slug=entry.slug).first()
        )
        if existing is None:
            model.objects.create(name=entry.name, slug=entry.slug, description=entry.description)
        elif existing.description != entry.description:
            model.objects.filter(pk=existing.pk).update(description=entry.description)
