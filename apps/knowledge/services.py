"""Writes to the vocabularies: finding or creating themes, keywords, categories, types."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from apps.knowledge.models import Category, Keyword, SourceType, Theme, ThemeAlias
from apps.knowledge.vocabulary import (
    THEME_NAME_MAX,
    display_name,
    name_key,
    shorten,
    singular_keys,
)

MAX_MERGE_HOPS = 10


def theme_for_name(name: str, *, status: str = Theme.Status.APPROVED) -> Theme | None:
    """The theme a name means: by slug, then alias, following merges; created if new.

    Returns None for a name editors rejected, so it is never linked again. A machine's name
    longer than a theme name may be is shortened at a word boundary (people's are refused
    before they get here: themes.too_long).
    """
    name = shorten(display_name(name), THEME_NAME_MAX)
    key = name_key(name)
    theme = existing_theme(key)
    if theme is None:
        theme = _create_theme(name, key, status)
    for _ in range(MAX_MERGE_HOPS):
        if theme.status != Theme.Status.MERGED or theme.merged_into_id is None:
            break
        theme = theme.merged_into
    if theme.status == Theme.Status.REJECTED:
        return None
    return theme


def existing_theme(key: str) -> Theme | None:
    """By slug, then alias; then the same for the singular ("open sources" = "open source")."""
    for candidate in dict.fromkeys([key, *singular_keys(key)]):
        theme = Theme.objects.filter(slug=candidate).first()
        if theme is None:
            alias = ThemeAlias.objects.select_related("theme").filter(key=candidate).first()
            theme = alias.theme if alias else None
        if theme is not None:
            return theme
    return None


def _create_theme(name: str, key: str, status: str) -> Theme:
    # A concurrent import may create the same theme; the unique slug decides who wins.
    try:
        with transaction.atomic():
            return Theme.objects.create(name=name, slug=key, status=status)
    except IntegrityError:
        return Theme.objects.get(slug=key)


def keyword_for_name(name: str) -> Keyword:
    key = name_key(name)[:200]
    keyword, _ = Keyword.objects.get_or_create(key=key, defaults={"name": display_name(name)})
    return keyword


def category_for_name(name: str) -> Category | None:
    return _vocabulary_entry(Category, name)


def source_type_for_name(name: str) -> SourceType | None:
    return _vocabulary_entry(SourceType, name)


def _vocabulary_entry(model, name: str):
    name = display_name(name)
    if not name:
        return None
    entry = model.objects.filter(name__iexact=name).first()
    if entry:
        return entry
    base = slugify(name)[:70] or "value"
    slug, suffix = base, 1
    while model.objects.filter(slug=slug).exists():
        suffix += 1
        slug = f"{base}-{suffix}"
    return model.objects.create(name=name, slug=slug)
