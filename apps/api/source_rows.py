"""A page of the sources list as SourceOut objects, from one values query and one for the
themes (the reasons are those of apps/api/finding_rows.py).

The sources page's rows (selectors.sources_with_ids) also count each source's findings of
four kinds, which SourceOut does not show; these rows do not.
"""

from django.db.models import QuerySet

from apps.api.schemas.common import ThemeRef
from apps.api.schemas.sources import SourceOut, status_url
from apps.api.theme_refs import themes_by_owner
from apps.sources.models import SourceTheme
from apps.sources.selectors import sources_in_order

_COLUMNS = (
    "id",
    "url",
    "canonical_url",
    "title",
    "site_name",
    "published_on",
    "category__name",
    "source_type__name",
    "status",
    "submitted_at",
)
# The order of the source's links, as the sources page shows them (selectors._theme_links).
BY_POSITION = ("position", "id")


def source_items(cleaned: dict, ids: QuerySet) -> list[SourceOut]:
    """SourceOut for each source `ids` selects, in `cleaned`'s order."""
    rows = list(sources_in_order(cleaned, ids).values(*_COLUMNS))
    refs: dict[int, ThemeRef] = {}
    links = SourceTheme.objects.filter(source__in=[row["id"] for row in rows])
    themes = themes_by_owner(links, "source", BY_POSITION, refs)
    return [
        SourceOut.model_construct(
            id=row["id"],
            url=row["url"],
            canonical_url=row["canonical_url"],
            title=row["title"],
            site_name=row["site_name"],
            published_on=row["published_on"],
            category=row["category__name"],
            source_type=row["source_type__name"],
            status=row["status"],
            submitted_at=row["submitted_at"],
            themes=themes.get(row["id"], []),
            status_url=status_url(row["id"]),
        )
        for row in rows
    ]
