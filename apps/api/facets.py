"""The explorer's "Themes in these results": how many findings under a filter carry each
theme. The page and this endpoint both call apps.knowledge.explorer.theme_facets."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from apps.api.auth import READ
from apps.api.errors import ERROR_STATUSES, ErrorOut, form_data
from apps.api.schemas.common import ThemeRef
from apps.api.schemas.findings import FindingQuery, Kind, explorer_data
from apps.knowledge.explorer import MAX_FACETS, FindingFilterForm, theme_facets

router = Router(tags=["findings"], auth=READ)


class FacetOut(Schema):
    theme: ThemeRef
    count: int = Field(
        description="how many of the filtered findings carry the theme, their own or their source's"
    )
    own: int = Field(description="how many of them carry the theme themselves")
    selected: bool = Field(description="the theme is one of the filter's themes")


# Registered before /findings/{kind}/{finding_id}, which would otherwise take "facets".
@router.get("/findings/{kind}/facets", response={200: list[FacetOut], ERROR_STATUSES: ErrorOut})
def finding_facets(request: HttpRequest, kind: Kind, filters: Query[FindingQuery]):
    """The themes the filtered findings carry, with counts, most first (at most 30)."""
    form = FindingFilterForm(explorer_data(filters))
    form_data(form)
    return theme_facets(kind, form.applied(), limit=MAX_FACETS)
