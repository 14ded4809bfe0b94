"""The dashboard: what the base holds and what changed lately."""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from apps.accounts.access import read_access
from apps.core.dashboard import HIGH_RELEVANCY, dashboard


@read_access
def home(request: HttpRequest) -> HttpResponse:
    """Counts, the newest sources, pipeline states, active themes, new high-relevancy signals."""
    context = {"board": dashboard(), "high": HIGH_RELEVANCY}
    return render(request, "core/dashboard.html", context)


def favicon(request: HttpRequest) -> HttpResponse:
    """The SVG icon, for browsers asking /favicon.ico where a page names none (JSON, API)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
