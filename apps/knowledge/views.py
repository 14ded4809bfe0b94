"""Pages for reading themes: the index and one theme with what carries it."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from apps.accounts.access import read_access
from apps.knowledge import selectors

THEMES_PER_PAGE = 100


@read_access
def theme_index(request: HttpRequest) -> HttpResponse:
    """List approved and proposed themes, alphabetical, filtered by ?q= on the name."""
    query = request.GET.get("q", "").strip()
    themes = selectors.theme_index(query)
    page = Paginator(themes, THEMES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "knowledge/theme_index.html", {"page": page, "query": query})


@read_access
def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a theme with its sources and findings; old names and aliases redirect here."""
    resolved = selectors.resolve_theme(slug)
    if resolved.redirect_to is not None:
        return redirect(resolved.redirect_to, permanent=True)
    if resolved.theme is None:
        raise Http404("No theme by that name.")
    context = {"theme": resolved.theme, **selectors.theme_page(resolved.theme)}
    return render(request, "knowledge/theme_detail.html", context)
