"""Search: sources and findings matching `q`, ranked, as the search page shows them."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from apps.api.auth import READ
from apps.api.errors import ERROR_STATUSES, ErrorOut
from apps.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page
from apps.search.query import SearchQueryError
from apps.search.selectors import MAX_RESULTS, search

router = Router(tags=["search"], auth=READ)


class SearchParams(Schema):
    # Checked by the search's own rules (length, NUL, words), so the API and the page agree.
    q: str = Field("", description='words; "a phrase", this OR that, -leave-out')
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="items per page")
    offset: int = Field(
        0, ge=0, le=MAX_RESULTS - 1, description=f"items to skip; the first {MAX_RESULTS} only"
    )
    as_typed: bool = Field(False, description="search the words as typed, never corrected")


class HitOut(Schema):
    kind: str  # sources, signals, behaviors, technologies or issues
    id: int
    source_id: int
    name_html: str  # HTML: escaped text, matched words in <mark>
    snippet_html: str
    source_title: str  # a finding's source; a source's link
    url: str
    rank: float


class CloseNameOut(Schema):
    kind: str  # "themes", or a kind of finding, or "sources"
    id: int
    name: str
    url: str
    score: float


class SearchPage(Page):
    # The words searched: the corrected ones when a misspelt word was put right.
    q: str
    corrected_from: str  # the words as typed when they were corrected, else ""
    items: list[HitOut]
    themes: list[CloseNameOut]
    similar: list[CloseNameOut]


def _url(request: HttpRequest, limit: int, offset: int) -> str:
    query = request.GET.copy()
    query["limit"], query["offset"] = str(limit), str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get("/search/", response={200: SearchPage, ERROR_STATUSES: ErrorOut})
def search_list(request: HttpRequest, params: Query[SearchParams]):
    """Sources and findings matching `q`, best first, with highlighted names and snippets."""
    try:
        found = search(params.q, offset=params.offset, limit=params.limit, as_typed=params.as_typed)
    except SearchQueryError as error:
        raise ValidationError({"q": [str(error)]}) from None
    limit, offset = found.limit, found.offset
    reachable = min(found.total, MAX_RESULTS)
    return {
        "q": found.query.text,
        "corrected_from": found.corrected_from,
        "count": found.total,
        "next": _url(request, limit, offset + limit) if offset + limit < reachable else None,
        "previous": _url(request, limit, max(offset - limit, 0)) if offset > 0 else None,
        "items": [
            {
                **vars(hit),
                "name_html": str(hit.title_html),
                "snippet_html": str(hit.snippet_html),
                "url": hit.url,
            }
            for hit in found.hits
        ],
        "themes": [vars(item) for item in found.themes],
        "similar": [vars(item) for item in found.similar],
    }
