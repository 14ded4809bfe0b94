"""Pages for reading sources: the list and one source as its record reads."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.access import read_access
from apps.sources import selectors

SOURCES_PER_PAGE = 25


@read_access
def home(request: HttpRequest) -> HttpResponse:
    """List sources, newest first, a page at a time."""
    page = Paginator(selectors.source_list(), SOURCES_PER_PAGE).get_page(request.GET.get("page"))
    for source in page:
        source.site = selectors.site_label(source)
    return render(request, "sources/home.html", {"page": page})


@read_access
def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    """Show one source the way its Markdown record reads."""
    return render(request, "sources/detail.html", {"page": selectors.source_page(source_id)})
