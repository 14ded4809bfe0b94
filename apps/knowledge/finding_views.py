"""Editors curating a source's findings and themes on its page; everyone reading history.

Each action answers an HTMX request with the fragment it changed (a row, a table, a theme
list) plus the flash messages out of band, and a plain POST with a redirect back to the
source page, so every control also works without JavaScript. HTMX answers keep status 200
even for a conflict or bad input: htmx swaps nothing on 4xx, and the user must see why.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.accounts.access import edit_access, read_access
from apps.core.curation import StaleVersion
from apps.knowledge import findings
from apps.knowledge.autocomplete import theme_choices
from apps.knowledge.curation_selectors import (
    SOURCE_KIND,
    curation_item,
    finding_table,
    item_history,
)
from apps.knowledge.finding_forms import FindingForm, initial_values
from apps.knowledge.models import FINDING_MODELS, Finding, Theme
from apps.knowledge.themes import ThemeError
from apps.sources.models import Source
from apps.sources.selectors import HEAVY_FIELDS

ROW = "knowledge/_finding_row.html"
TABLE = "sources/_finding_table.html"
THEMES = "knowledge/_item_themes.html"
FORM_PAGE = "knowledge/finding_form.html"


def _fragments(request: HttpRequest, *parts: tuple[str, dict]) -> HttpResponse:
    """An HTMX answer: the fragments, then the flash messages swapped in out of band."""
    parts += (("base.html#messages", {"oob": True}),)
    return HttpResponse("".join(render_to_string(name, ctx, request) for name, ctx in parts))


def _finding(kind: str, finding_id: int) -> Finding:
    item = curation_item(kind, finding_id)
    if not isinstance(item, Finding):
        raise Http404("No such finding.")
    return item


def _label(item: Source | Finding) -> str:
    return findings.item_label(item)


def _back(item: Source | Finding, kind: str) -> HttpResponse:
    """Back to the source page, at the row or section that changed."""
    if isinstance(item, Source):
        return redirect(f"{item.get_absolute_url()}#themes-heading")
    return redirect(f"{reverse('sources:detail', args=[item.source_id])}#{kind}-{item.pk}")


def _next(request: HttpRequest) -> str:
    """Where the edit page returns once saved, when not the source page (the review queue):
    a local path only."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    local = target.startswith("/") and not target.startswith("//")
    if local and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None  # treated as stale: the form cannot prove what it was based on


def _stale_text(item: Finding, current: Finding) -> str:
    who = current.updated_by.get_username() if current.updated_by else "someone"
    when = date_format(timezone.localtime(current.updated_at), "j M Y, H:i")
    return f"{who} changed this {_label(item)} at {when} while you had it open"


def _row(request: HttpRequest, kind: str, finding_id: int, **extra) -> HttpResponse:
    return _fragments(request, (ROW, {"row": _finding(kind, finding_id), "kind": kind, **extra}))


# --- One finding ---------------------------------------------------------------------


@read_access
def finding_row(request: HttpRequest, kind: str, item_id: int) -> HttpResponse:
    """A finding's row as the page shows it (what Cancel brings back)."""
    finding = _finding(kind, item_id)
    if not request.htmx:
        return _back(finding, kind)
    return _row(request, kind, item_id, focus_edit=True)


def _form_context(finding: Finding, kind: str, form: FindingForm, **extra) -> dict:
    return {
        "finding": finding,
        "source": finding.source,
        "kind": kind,
        "label": _label(finding),
        "form": form,
        "version": finding.version,
        "columns": 8 if kind == "signals" else 5,
        **extra,
    }


def _form_answer(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    if request.htmx:
        return render(request, f"{FORM_PAGE}#row", context)
    return render(request, FORM_PAGE, context, status=status)


@edit_access
def finding_edit(request: HttpRequest, kind: str, item_id: int) -> HttpResponse:
    """Edit every field of a finding: the form (a row for HTMX, a page without), then save."""
    finding = _finding(kind, item_id)
    form_id = f"edit-{kind}-{finding.pk}"
    if request.method != "POST":
        initial = initial_values(finding)
        form = FindingForm(type(finding), initial=initial, id_prefix=form_id, autofocus=True)
        return _form_answer(request, _form_context(finding, kind, form, next=_next(request)))
    # Fields the request left out show their current values, as they are left alone.
    data = {**initial_values(finding), **request.POST.dict()}
    form = FindingForm(type(finding), data, id_prefix=form_id)
    values = form.values(request.POST)
    if refused := _save(request, finding, kind, form, values):
        return refused
    messages.success(request, f"Saved the {_label(finding)} “{values.get('name', finding)}”.")
    if not request.htmx:
        return redirect(_next(request)) if _next(request) else _back(finding, kind)
    return _row(request, kind, finding.pk, focus_edit=True)


def _save(
    request: HttpRequest, finding: Finding, kind: str, form: FindingForm, values: dict
) -> HttpResponse | None:
    """Save an edit; None once saved, else the form again saying why it was not."""
    try:
        findings.finding_update(
            finding=finding, values=values, expected_version=_version(request), user=request.user
        )
    except ValidationError as error:
        form.refuse(error)
        context = _form_context(
            finding, kind, form, version=request.POST.get("version"), next=_next(request)
        )
        return _form_answer(request, context, status=400)
    except StaleVersion as stale:
        conflict = _conflict(finding, stale.current, values)
        context = _form_context(
            finding, kind, form, version=stale.current.version, next=_next(request), **conflict
        )
        return _form_answer(request, context, status=409)
    return None


def _conflict(finding: Finding, current: Finding, typed: dict) -> dict:
    """What the conflict message shows: who changed the finding, and its values now."""
    now = []
    for field in type(current).EDITABLE_FIELDS:
        value = getattr(current, field)
        shown = "" if value is None else str(value)
        if field in typed and str(typed[field]).strip() != shown:
            label = str(current._meta.get_field(field).verbose_name).capitalize()
            now.append((label, shown or "—"))
    return {"conflict": _stale_text(finding, current), "conflict_values": now}


@edit_access
@require_POST
def finding_relevancy(request: HttpRequest, kind: str, item_id: int) -> HttpResponse:
    """Set a finding's relevancy in one click; answer with its row."""
    finding = _finding(kind, item_id)
    alert = _set_relevancy(request, finding, request.POST.get("relevancy", ""))
    if request.htmx:
        return _row(request, kind, finding.pk, alert=alert)
    if alert:
        messages.error(request, alert)
    return _back(finding, kind)


def _set_relevancy(request: HttpRequest, finding: Finding, value: str) -> str | None:
    """Save a relevancy and flash it; else the alert saying why not (bad value, or stale)."""
    try:
        saved = findings.finding_update(
            finding=finding,
            values={"relevancy": value},
            expected_version=_version(request),
            user=request.user,
        )
    except ValidationError as error:
        return " ".join(error.messages)
    except StaleVersion as stale:
        now = stale.current.relevancy or "none"
        return (
            f"Not saved: {_stale_text(finding, stale.current)}. Its relevancy is now {now}; "
            f"choose again if you still want {value or 'none'}."
        )
    messages.success(request, f"Relevancy of “{saved}” set to {saved.relevancy or 'none'}.")
    return None


@edit_access
def finding_delete(request: HttpRequest, kind: str, item_id: int) -> HttpResponse:
    """Delete a finding once confirmed (hx-confirm, or the confirmation page without JS)."""
    finding = _finding(kind, item_id)
    if request.method != "POST" or request.POST.get("confirmed") != "yes":
        version = request.POST.get("version") or finding.version
        context = {"finding": finding, "kind": kind, "label": _label(finding), "version": version}
        return render(request, "knowledge/finding_delete.html", context)
    try:
        findings.finding_delete(
            finding=finding, user=request.user, expected_version=_version(request)
        )
    except StaleVersion as stale:
        alert = f"Not deleted: {_stale_text(finding, stale.current)}. Check it, then delete again."
        if request.htmx:
            return _row(request, kind, finding.pk, alert=alert)
        messages.error(request, alert)
        return _back(finding, kind)
    messages.success(request, f"Deleted the {_label(finding)} “{finding}”.")
    if request.htmx:
        return _fragments(request)  # nothing in place of the row: htmx removes it
    return redirect(f"{finding.source.get_absolute_url()}#findings-{kind}")


@edit_access
def finding_create(request: HttpRequest, kind: str, source_id: int) -> HttpResponse:
    """Add a finding to a source: the form under each table, or a page without JS."""
    model = FINDING_MODELS[kind]
    source = get_object_or_404(Source.objects.defer(*HEAVY_FIELDS), pk=source_id)
    posted = request.POST if request.method == "POST" else None
    form = FindingForm(model, posted, id_prefix=f"add-{kind}")
    context = {"source": source, "kind": kind, "form": form, "adding": True}
    context["label"] = str(model._meta.verbose_name)
    if request.method != "POST":
        return render(request, FORM_PAGE, context)
    try:
        finding = findings.finding_create(
            kind=kind, source=source, values=form.values(request.POST), user=request.user
        )
    except ValidationError as error:
        form.refuse(error)
        if request.htmx:
            return _fragments(request, (TABLE, _table(source, kind, add_form=form)))
        return render(request, FORM_PAGE, context, status=400)
    messages.success(request, f"Added the {context['label']} “{finding}”.")
    if request.htmx:
        return _fragments(request, (TABLE, _table(source, kind)))
    return redirect(f"{source.get_absolute_url()}#{kind}-{finding.pk}")


def _table(source: Source, kind: str, add_form: FindingForm | None = None) -> dict:
    return {"table": finding_table(source, kind), "source": source, "add_form": add_form}


# --- Themes on a source or a finding -------------------------------------------------


def _themes_answer(request, kind: str, item, error: str | None = None, typed: str = ""):
    if not request.htmx:
        if error:
            messages.error(request, error)
        return _back(item, kind)
    # A finding's "Edit themes" stays open after each change, for the next one.
    context = {"item": curation_item(kind, item.pk), "kind": kind, "editing": True}
    return _fragments(request, (THEMES, {**context, "theme_error": error, "typed": typed}))


@edit_access
@require_POST
def theme_add(request: HttpRequest, kind: str, item_id: int) -> HttpResponse:
    """Link an approved theme (typed by name or alias) to a source or a finding."""
    item = curation_item(kind, item_id)
    name = request.POST.get("name", "")
    try:
        theme = findings.theme_link_add(item=item, name=name, user=request.user)
    except ThemeError as error:
        return _themes_answer(request, kind, item, error=str(error), typed=name)
    messages.success(request, f"Added the theme “{theme}” to the {_label(item)} “{item}”.")
    return _themes_answer(request, kind, item)


@edit_access
@require_POST
def theme_remove(request: HttpRequest, kind: str, item_id: int, theme_id: int) -> HttpResponse:
    """Unlink a theme from a source or a finding."""
    item = curation_item(kind, item_id)
    theme = get_object_or_404(Theme, pk=theme_id)
    try:
        findings.theme_link_remove(item=item, theme=theme, user=request.user)
    except ThemeError as error:
        return _themes_answer(request, kind, item, error=str(error))
    messages.success(request, f"Removed the theme “{theme}” from the {_label(item)} “{item}”.")
    return _themes_answer(request, kind, item)


@read_access
def theme_suggestions(request: HttpRequest) -> HttpResponse:
    """<option>s for a theme field's datalist: approved themes and aliases matching the
    typed text, which comes as the field's name: ?name=, ?q= or the explorer's ?theme=."""
    query = next((request.GET[key] for key in ("name", "q", "theme") if key in request.GET), "")
    return render(request, "knowledge/_theme_choices.html", {"choices": theme_choices(query)})


# --- History -------------------------------------------------------------------------


@read_access
def history(request: HttpRequest, kind: str, item_id: int) -> HttpResponse:
    """Who changed what on a source or finding, and when: a fragment for HTMX, else a page."""
    item = curation_item(kind, item_id)
    source = item if isinstance(item, Source) else item.source
    context = {"item": item, "label": _label(item), "rows": item_history(item), "source": source}
    if kind != SOURCE_KIND:
        context["anchor"] = f"{kind}-{item.pk}"
    template = "knowledge/item_history.html"
    return render(request, f"{template}#entries" if request.htmx else template, context)
