"""The search page: sources and findings matching the header box's words, a page at a time."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from apps.accounts.access import read_access
from apps.search.pages import ResultsPage
from apps.search.query import SearchQueryError
from apps.search.selectors import PAGE_SIZE, search

TEMPLATE = "search/results.html"


def _page_number(value: str | None) -> int:
    """The page asked for; anything that is not a page number means the first."""
    try:
        return max(1, min(int(value or 1), 10**6))
    except ValueError:
        return 1


@read_access
def results(request: HttpRequest) -> HttpResponse:
    """Search results for `q`, ranked, with highlighted snippets; HTMX gets the results part."""
    text = request.GET.get("q", "")
    context = {"q": text, "asked": "q" in request.GET, "results": None, "problem": ""}
    if context["asked"]:
        number = _page_number(request.GET.get("page"))
        try:
            as_typed = request.GET.get("as_typed") == "1"
            found = search(
                text, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE, as_typed=as_typed
            )
        except SearchQueryError as error:
            context["problem"] = str(error)
        else:
            context["results"], context["page"] = found, ResultsPage(found)
    template = TEMPLATE
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
