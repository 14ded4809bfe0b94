"""Cluster pages: the ranked list, one cluster's evidence, and editors' curation (HTMX)."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from apps.accounts.access import edit_access, read_access
from apps.clusters import curation, selectors
from apps.clusters.curation import CurationError
from apps.clusters.models import Cluster
from apps.core.htmx import filtered_answer, wants_fragment
from apps.knowledge.models import Signal, Theme

PER_PAGE = 50


@read_access
def cluster_index(request: HttpRequest) -> HttpResponse:
    """Clusters ranked by evidence strength, filtered by ?theme=<slug>."""
    slug = request.GET.get("theme", "").strip()
    theme = Theme.objects.filter(slug=slug).first() if slug else None
    page = Paginator(selectors.ranked_clusters(theme=theme), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "theme": theme,
        "slug": slug,
        "themes": Theme.objects.filter(status=Theme.Status.APPROVED).order_by("name"),
        "half_life": round(settings.SPYGLASS_CLUSTERS["half_life_days"]),
    }
    template = "clusters/index.html"
    if wants_fragment(request, "cluster-results"):
        template += "#results"
    return filtered_answer(request, render(request, template, context))


@read_access
def cluster_detail(request: HttpRequest, cluster_id: int) -> HttpResponse:
    """One cluster: its evidence, members and themes; editors' controls."""
    cluster = get_object_or_404(selectors.cluster_for_page(cluster_id))
    return render(request, "clusters/detail.html", selectors.cluster_page(cluster))


def _cluster(cluster_id: int) -> Cluster:
    return get_object_or_404(selectors.cluster_for_page(cluster_id))


def _signal(cluster: Cluster, value: str | None) -> Signal | None:
    """A member of the cluster named by a form field, or None."""
    if not (value or "").isdigit():
        return None
    return Signal.objects.filter(pk=int(value), cluster_member__cluster=cluster).first()


def _act(request: HttpRequest, cluster: Cluster, action: Callable[[], str]) -> HttpResponse:
    """Run an action, flash what it did or why not; answer with the changed cluster."""
    try:
        messages.success(request, action())
    except CurationError as error:
        messages.error(request, str(error))
    if not Cluster.objects.filter(pk=cluster.pk).exists():  # dissolved: too few members left
        if request.htmx:
            return HttpResponseClientRedirect(reverse("clusters:index"))
        return redirect("clusters:index")
    if not request.htmx:
        return redirect(cluster)
    context = selectors.cluster_page(_cluster(cluster.pk))
    html = render_to_string("clusters/detail.html#cluster", context, request)
    html += render_to_string("base.html#messages", {"oob": True}, request)
    return HttpResponse(html)


@require_POST
@edit_access
def cluster_confirm(request: HttpRequest, cluster_id: int) -> HttpResponse:
    """Confirm that the members describe one change."""
    cluster = _cluster(cluster_id)

    def confirm() -> str:
        curation.cluster_confirm(cluster=cluster, user=request.user)
        return f"Confirmed “{cluster}”: the machine will not move its members."

    return _act(request, cluster, confirm)


@require_POST
@edit_access
def cluster_rename(request: HttpRequest, cluster_id: int) -> HttpResponse:
    """Give the cluster a name of the editor's."""
    cluster = _cluster(cluster_id)

    def rename() -> str:
        curation.cluster_rename(
            cluster=cluster, name=request.POST.get("name", ""), user=request.user
        )
        return f"Renamed the cluster “{cluster}”."

    return _act(request, cluster, rename)


@require_POST
@edit_access
def cluster_split(request: HttpRequest, cluster_id: int) -> HttpResponse:
    """Move the checked members to a new cluster."""
    cluster = _cluster(cluster_id)
    ids = [int(v) for v in request.POST.getlist("signal") if v.isdigit()]

    def split() -> str:
        new = curation.cluster_split(cluster=cluster, signal_ids=ids, user=request.user)
        return f"Moved {len(ids)} signal(s) to the new cluster “{new}”."

    return _act(request, cluster, split)


@require_POST
@edit_access
def cluster_remove(request: HttpRequest, cluster_id: int) -> HttpResponse:
    """Take one member out of the cluster."""
    cluster = _cluster(cluster_id)
    signal = _signal(cluster, request.POST.get("signal"))

    def remove() -> str:
        if signal is None:
            raise CurationError("That signal is not in this cluster any more; reload the page.")
        curation.cluster_member_remove(cluster=cluster, signal=signal, user=request.user)
        return f"Removed “{signal}”; it will not be proposed for this cluster's members again."

    return _act(request, cluster, remove)


@require_POST
@edit_access
def cluster_not_same(request: HttpRequest, cluster_id: int) -> HttpResponse:
    """Two members are different changes: the first leaves, and they are never paired again."""
    cluster = _cluster(cluster_id)
    signal = _signal(cluster, request.POST.get("signal"))
    other = _signal(cluster, request.POST.get("other"))

    def mark() -> str:
        if signal is None or other is None:
            raise CurationError("Choose two signals of this cluster.")
        curation.signals_not_same(cluster=cluster, signal=signal, other=other, user=request.user)
        return f"“{signal}” and “{other}” are marked as different changes."

    return _act(request, cluster, mark)
