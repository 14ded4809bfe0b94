"""Limit/offset pages with a maximum size: every list answers {count, next, previous, items}."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
# Far past any real offset; bounded so a database never sees a number it cannot store.
MAX_OFFSET = 10**9


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="items per page")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="items to skip")


class Page(Schema):
    count: int
    next: str | None
    previous: str | None


def paginate(
    request: HttpRequest, items: QuerySet | list, params: PageParams, *, count: int | None = None
) -> dict:
    """One page of `items` with the total and the URLs of the pages either side.

    `count`, when the caller has it (a cached total), saves a COUNT over the whole list.
    """
    if count is None:
        count = items.count() if isinstance(items, QuerySet) else len(items)
    page = list(items[params.offset : params.offset + params.limit])
    return {"count": count, **links(request, params, count), "items": page}


def links(request: HttpRequest, params: PageParams, count: int) -> dict:
    """The URLs of the pages before and after the one `params` asks for."""
    limit, offset = params.limit, params.offset
    return {
        "next": _url(request, limit, offset + limit) if offset + limit < count else None,
        "previous": _url(request, limit, max(offset - limit, 0)) if offset > 0 else None,
    }


def _url(request: HttpRequest, limit: int, offset: int) -> str:
    query = request.GET.copy()
    query["limit"], query["offset"] = str(limit), str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
