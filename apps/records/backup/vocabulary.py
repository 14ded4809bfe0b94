"""The theme vocabulary in a backup: themes with their status and merges, aliases,
see-also relations, categories and source types. Restored before the records, so record
theme names resolve as they did, and a restore into an empty database gives the same
vocabulary back."""

from apps.knowledge.models import Category, SourceType, Theme, ThemeAlias, ThemeRelation
from apps.records.backup.manifest import RelationEntry, Vocabulary, VocabularyEntry


def relations_for_backup() -> list[dict]:
    links = ThemeRelation.objects.select_related("theme_a", "theme_b", "added_by").order_by("pk")
    return [
        {
            "theme": link.theme_a.slug,
            "other": link.theme_b.slug,
            "added_by": link.added_by.get_username() if link.added_by else None,
            "added_at": link.added_at.isoformat(),
        }
        for link in links
    ]


def vocabulary_restore(vocabulary: Vocabulary, users: dict) -> dict[str, Theme]:
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
    for relation in vocabulary.relations:
        _relation_restore(themes[relation.theme], themes[relation.other], relation, users)
    _entries_restore(Category, vocabulary.categories)
    _entries_restore(SourceType, vocabulary.source_types)
    return themes


def _relation_restore(theme: Theme, other: Theme, entry: RelationEntry, users: dict) -> None:
    # One row per pair with the lower id first (a constraint): ids differ after a restore.
    first, second = sorted([theme, other], key=lambda t: t.pk)
    relation, _ = ThemeRelation.objects.get_or_create(
        theme_a=first, theme_b=second, defaults={"added_by": users.get(entry.added_by)}
    )
    if entry.added_at:
        ThemeRelation.objects.filter(pk=relation.pk).update(added_at=entry.added_at)


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
