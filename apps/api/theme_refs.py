"""Theme links of a page's rows as ThemeRef objects, in one values query per link table.

Prefetching `themes` or `theme_links` builds a manager, a queryset and a model per link
for every row; a 100-row list only needs {id, name, slug}. One ThemeRef per theme is
shared by every row that carries it.
"""

from collections import defaultdict

from django.db.models import QuerySet

from apps.api.schemas.common import ThemeRef


def themes_by_owner(
    links: QuerySet, owner: str, order: tuple[str, ...], refs: dict[int, ThemeRef]
) -> dict[int, list[ThemeRef]]:
    """{owner id: its themes} of the theme links `links` (owner: "source", "signal", ...),
    each list in `order`; `refs` keeps the ThemeRef of each theme across calls."""
    grouped = defaultdict(list)
    values = links.order_by(*order).values_list(
        f"{owner}_id", "theme_id", "theme__name", "theme__slug"
    )
    for owner_id, theme_id, name, slug in values:
        if theme_id not in refs:
            refs[theme_id] = ThemeRef.model_construct(id=theme_id, name=name, slug=slug)
        grouped[owner_id].append(refs[theme_id])
    return grouped
