"""The review queue: editors accept, edit or delete the classifiers' unreviewed findings.

Accept and Delete answer an HTMX request with nothing in place of the row (htmx removes
it) plus the flash messages out of band, or the row again with an alert when someone changed
the finding meanwhile; a plain POST answers with a redirect back to the queue, so every
control also works without JavaScript. Edit opens the finding's edit page, which comes back
here once saved. The writes are the curation services the source page uses.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.accounts.access import edit_access
from apps.core.curation import StaleVersion
from apps.knowledge import findings
from apps.knowledge.curation_selectors import curation_item
from apps.knowledge.models import Finding
from apps.review.selectors import DEFAULT_SORT, SORTS, Entry, queue_page

TEMPLATE = "review/queue.html"


def _finding(kind: str, item_id: int) -> Finding:
    item = curation_item(kind, item_id)
    if not isinstance(item, Finding):
        raise Http404("No such finding.")
    return item


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None  # treated as stale: the form cannot prove what it was based on


def _next(request: HttpRequest) -> str:
    """The queue page the editor came from: a local URL only, else the queue."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return reverse("review:queue")


def _back(request: HttpRequest) -> HttpResponse:
    return redirect(_next(request))


def _answer(request: HttpRequest, entry: Entry | None = None, alert: str = "") -> HttpResponse:
    """HTMX: the row again with an alert, or nothing (the row goes); then the messages."""
    parts = []
    if entry is not None:
        context = {"entry": entry, "alert": alert, "next": _next(request)}
        parts.append(render_to_string(f"{TEMPLATE}#row", context, request))
    parts.append(render_to_string("base.html#messages", {"oob": True}, request))
    return HttpResponse("".join(parts))


def _stale(finding: Finding, current: Finding, verb: str) -> str:
    who = current.updated_by.get_username() if current.updated_by else "someone"
    return f"Not {verb}: {who} changed “{finding}” while you had it open. Check it, then again."


@edit_access
def queue(request: HttpRequest) -> HttpResponse:
    """Unreviewed machine findings of every kind, least sure (or most relevant) first."""
    sort = request.GET.get("sort", DEFAULT_SORT)
    sort = sort if sort in SORTS else DEFAULT_SORT
    drafts_only = request.GET.get("drafts") == "1"
    page = queue_page(number=request.GET.get("page"), sort=sort, drafts_only=drafts_only)
    context = {"page": page, "sort": sort, "sorts": SORTS, "drafts_only": drafts_only}
    return render(request, TEMPLATE, context)


@edit_access
@require_POST
def accept(request: HttpRequest, kind: str, item_id: int) -> HttpResponse:
    """Keep a finding as the classifier wrote it: it leaves the queue."""
    finding = _finding(kind, item_id)
    try:
        findings.finding_accept(
            finding=finding, user=request.user, expected_version=_version(request)
        )
    except StaleVersion as stale:
        return _refused(request, kind, item_id, _stale(finding, stale.current, "accepted"))
    messages.success(request, f"Accepted the {findings.item_label(finding)} “{finding}”.")
    return _answer(request) if request.htmx else _back(request)


@edit_access
@require_POST
def delete(request: HttpRequest, kind: str, item_id: int) -> HttpResponse:
    """Delete a finding once confirmed (hx-confirm, or a confirmation page without JS)."""
    finding = _finding(kind, item_id)
    if request.POST.get("confirmed") != "yes":
        context = {"entry": Entry(kind, finding), "version": request.POST.get("version", "")}
        context["next"] = _next(request)
        return render(request, "review/delete.html", context)
    try:
        findings.finding_delete(
            finding=finding, user=request.user, expected_version=_version(request)
        )
    except StaleVersion as stale:
        return _refused(request, kind, item_id, _stale(finding, stale.current, "deleted"))
    messages.success(request, f"Deleted the {findings.item_label(finding)} “{finding}”.")
    return _answer(request) if request.htmx else _back(request)


def _refused(request: HttpRequest, kind: str, item_id: int, alert: str) -> HttpResponse:
    """A stale action: the row as it is now, with the alert (HTMX), else back with a message."""
    if request.htmx:
        return _answer(request, Entry(kind, _finding(kind, item_id)), alert)
    messages.error(request, alert)
    return _back(request)
