"""The dashboard: what the base holds and what changed lately."""

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
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


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics for a scraper holding SPYGLASS_METRICS_TOKEN; off without one."""
    expected = settings.SPYGLASS_METRICS_TOKEN
    if not expected:
        raise Http404("Metrics are off: set SPYGLASS_METRICS_TOKEN to turn them on.")
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        response = HttpResponse(
            "Send the metrics token as 'Authorization: Bearer <token>'.\n",
            status=401,
            content_type="text/plain",
        )
        response["WWW-Authenticate"] = 'Bearer realm="spyglass-metrics"'
        return response
    from prometheus_client import CONTENT_TYPE_LATEST

    from apps.core.metrics import render

    return HttpResponse(render(), content_type=CONTENT_TYPE_LATEST)
