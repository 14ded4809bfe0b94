"""Suggestions while an editor types a theme: approved themes and their aliases."""

from dataclasses import dataclass

from django.db.models import Q

from apps.knowledge.models import Theme, ThemeAlias
from apps.knowledge.vocabulary import display_name, name_key


@dataclass(frozen=True)
class ThemeChoice:
    """One suggestion: `value` is what the field receives, `theme` where it leads."""

    value: str
    theme: Theme

    @property
    def is_alias(self) -> bool:
        return self.value != self.theme.name

    @property
    def label(self) -> str:
        return f"{self.value} → {self.theme.name}" if self.is_alias else self.value


def theme_choices(query: str, limit: int = 10) -> list[ThemeChoice]:
    """Approved themes and aliases matching `query`, names starting with it first."""
    query = display_name(query or "")
    approved = Theme.Status.APPROVED
    themes = Theme.objects.filter(status=approved)
    aliases = ThemeAlias.objects.filter(theme__status=approved).select_related("theme")
    if query:
        key = name_key(query)
        themes = themes.filter(Q(name__icontains=query) | Q(slug__contains=key))
        aliases = aliases.filter(Q(name__icontains=query) | Q(key__contains=key))
    choices = [ThemeChoice(theme.name, theme) for theme in themes.order_by("name")[:limit]]
    choices += [ThemeChoice(alias.name, alias.theme) for alias in aliases.order_by("name")[:limit]]
    folded = query.casefold()
    choices.sort(key=lambda c: (not c.value.casefold().startswith(folded), c.is_alias, c.value))
    return choices[:limit]
