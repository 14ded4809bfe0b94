"""Pages for themes: the index, one theme with what carries it, and editors' curation."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, push_url

from apps.accounts.access import can_edit, edit_access, read_access
from apps.core.htmx import filtered_answer, wants_fragment
from apps.knowledge import related, selectors, themes
from apps.knowledge.cache import cached
from apps.knowledge.forms import ThemeMergeForm, ThemeNameForm, ThemeRelateForm, first_error
from apps.knowledge.models import Theme, ThemeAlias
from apps.knowledge.themes import ThemeError

THEMES_PER_PAGE = 100
PROPOSALS_PER_PAGE = 50


@read_access
def theme_index(request: HttpRequest) -> HttpResponse:
    """List approved and proposed themes, alphabetical, filtered by ?q= on name or alias."""
    return _index(request)


def _index(request: HttpRequest, create_form: Form | None = None) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    themes = selectors.theme_index(query)
    page = Paginator(themes, THEMES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query}
    if wants_fragment(request, "theme-results"):
        return filtered_answer(
            request, render(request, "knowledge/theme_index.html#results", context)
        )
    if can_edit(request.user):
        context["proposed_count"] = selectors.proposed_count()
        context["create_form"] = create_form or ThemeNameForm()
    return filtered_answer(request, render(request, "knowledge/theme_index.html", context))


@require_POST
@edit_access
def theme_create(request: HttpRequest) -> HttpResponse:
    """Add an approved theme; a name already taken is refused with the reason."""
    form = ThemeNameForm(request.POST)
    if form.is_valid():
        try:
            theme = themes.theme_create(name=form.cleaned_data["name"], user=request.user)
        except ThemeError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Added the theme “{theme}”.")
            return redirect(theme)
    return _index(request, create_form=form)


@read_access
def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a theme with its sources and findings; old names and aliases redirect here."""
    resolved = selectors.resolve_theme(slug)
    if resolved.redirect_to is not None:
        return redirect(resolved.redirect_to, permanent=True)
    if resolved.theme is None:
        if slug == "proposed":  # the queue's address before it moved under "-/"
            return redirect("knowledge:theme_proposed", permanent=True)
        raise Http404("No theme by that name.")
    context = {
        "theme": resolved.theme,
        **_groups(resolved.theme),
        **related.theme_relations(resolved.theme),
    }
    if can_edit(request.user):
        context["merge_targets"] = _merge_targets()
    return render(request, "knowledge/theme_detail.html", context)


def _groups(theme: Theme) -> dict:
    """The theme's aliases, and its sources and findings as HTML.

    The groups (up to 250 findings and 50 sources) are the same for every reader and were
    most of the page's time: loading their rows from the cache and rendering them. They are
    rendered once per generation of the cache instead (the same rule as the figures they
    show), and the page inserts the HTML.
    """

    def render_groups() -> dict:
        page = selectors.theme_page(theme)
        html = render_to_string("knowledge/theme_detail.html#groups", {"theme": theme, **page})
        return {"aliases": page["aliases"], "groups_html": html}

    return cached("theme-page-html", theme.pk, render_groups)


def _merge_targets() -> str:
    """The approved themes' names as the <option>s of the merge and "see also" fields'
    suggestions, rendered once per generation of the cache: a template loop over
    thousands of names cost an editor's theme page more than the rest of its header."""

    def options() -> str:
        names = selectors.approved_theme_names()
        return format_html_join("", '<option value="{}"></option>', ((n,) for n in names))

    return cached("merge-target-options", None, options)


# --- Editors' actions ----------------------------------------------------------------------
# Each action answers an HTMX request with the fragment its form targets (the theme's
# header, or the queue when the form says back=queue) and a plain POST with a redirect.


@edit_access
def theme_proposed(request: HttpRequest) -> HttpResponse:
    """The queue of proposed themes, most suggested first, for editors to decide on."""
    return render(request, "knowledge/theme_proposed.html", _queue(request.GET.get("page")))


def _queue(page_number: str | None) -> dict:
    page = Paginator(selectors.proposed_queue(), PROPOSALS_PER_PAGE).get_page(page_number)
    return {"page": page, "merge_targets": _merge_targets()}


def _header(theme: Theme) -> dict:
    """What the theme page's header shows, with the curation controls open."""
    return {
        "theme": theme,
        "aliases": list(theme.aliases.order_by("name")),
        "merge_targets": _merge_targets(),
        "curating": True,
    }


def _fragments(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """An HTMX answer: the fragment, then the flash messages swapped in out of band."""
    html = render_to_string(template, context, request)
    html += render_to_string("base.html#messages", {"oob": True}, request)
    return HttpResponse(html)


def _data(request: HttpRequest):
    """The form's fields: a merge is asked with a GET, and done with a POST."""
    return request.POST if request.method == "POST" else request.GET


def _answer(request: HttpRequest, theme: Theme) -> HttpResponse:
    """After an action: the changed fragment for HTMX, else back to where the form was."""
    if _data(request).get("back") == "queue":
        page = _data(request).get("page")
        if request.htmx:
            return _fragments(request, "knowledge/theme_proposed.html#queue", _queue(page))
        return redirect(f"{reverse('knowledge:theme_proposed')}?{urlencode({'page': page or 1})}")
    if theme.status == Theme.Status.MERGED:
        if request.htmx:
            return HttpResponseClientRedirect(theme.merged_into.get_absolute_url())
        return redirect(theme.merged_into)
    if not request.htmx:
        return redirect(theme)
    response = _fragments(request, "knowledge/theme_detail.html#header", _header(theme))
    return push_url(response, theme.get_absolute_url())  # a rename changes the slug


def _run(request: HttpRequest, action: Callable[..., str], form: Form | None = None) -> None:
    """Do an action with the form's data; flash what it did, or why it could not."""
    data = {}
    if form is not None:
        if not form.is_valid():
            messages.error(request, first_error(form))
            return
        data = form.cleaned_data
    try:
        messages.success(request, action(**data))
    except ThemeError as error:
        messages.error(request, str(error))


def _theme(theme_id: int) -> Theme:
    return get_object_or_404(selectors.curatable_themes(), pk=theme_id)


@require_POST
@edit_access
def theme_accept(request: HttpRequest, theme_id: int) -> HttpResponse:
    """Approve a proposed theme and link the sources that suggested it."""
    theme = _theme(theme_id)

    def accept() -> str:
        themes.theme_accept(theme, user=request.user)
        return f"Accepted “{theme}”; the sources that suggested it now carry it."

    _run(request, accept)
    return _answer(request, theme)


@require_POST
@edit_access
def theme_reject(request: HttpRequest, theme_id: int) -> HttpResponse:
    """Reject a proposed theme; its name is never proposed again."""
    theme = _theme(theme_id)

    def reject() -> str:
        themes.theme_reject(theme, user=request.user)
        return f"Rejected “{theme}”; it will not be proposed again."

    _run(request, reject)
    return _answer(request, theme)


@require_POST
@edit_access
def theme_rename(request: HttpRequest, theme_id: int) -> HttpResponse:
    """Rename a theme; the old name stays as an alias, so old links still arrive."""
    theme = _theme(theme_id)
    old = theme.name

    def rename(name: str) -> str:
        themes.theme_rename(theme, name=name, user=request.user)
        return f"Renamed “{old}” to “{theme}”."

    _run(request, rename, ThemeNameForm(request.POST))
    return _answer(request, theme)


@require_POST
@edit_access
def theme_alias_add(request: HttpRequest, theme_id: int) -> HttpResponse:
    """Add another spelling that means this theme."""
    theme = _theme(theme_id)

    def add(name: str) -> str:
        alias = themes.theme_alias_add(theme, name=name, user=request.user)
        return f"“{alias}” now leads to “{theme}”."

    _run(request, add, ThemeNameForm(request.POST))
    return _answer(request, theme)


@require_POST
@edit_access
def theme_alias_remove(request: HttpRequest, theme_id: int, alias_id: int) -> HttpResponse:
    """Remove an alias; the name no longer leads to this theme."""
    theme = _theme(theme_id)
    alias = get_object_or_404(ThemeAlias, pk=alias_id, theme=theme)
    themes.theme_alias_remove(alias, user=request.user)
    messages.success(request, f"Removed the alias “{alias}”.")
    return _answer(request, theme)


@edit_access
def theme_merge(request: HttpRequest, theme_id: int) -> HttpResponse:
    """Merge this theme into another, once the editor has confirmed on a page naming both
    themes and how many links move (a GET, or a POST without `confirmed=yes`, asks)."""
    theme = _theme(theme_id)
    data = _data(request)
    form = ThemeMergeForm(data)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _answer(request, theme)
    into = form.cleaned_data["into"]
    if refused := themes.merge_refusal(theme, into=into):
        messages.error(request, refused)
        return _answer(request, theme)
    if request.method != "POST" or data.get("confirmed") != "yes":
        return _merge_confirmation(request, theme, into)
    old = theme.name

    def merge() -> str:
        themes.theme_merge(theme, into=into, user=request.user)
        return f"Merged “{old}” into “{into}”; “{old}” now leads there."

    _run(request, merge)
    return _answer(request, theme)


def _merge_confirmation(request: HttpRequest, theme: Theme, into: Theme) -> HttpResponse:
    """The page that asks before a merge: the same with and without JavaScript."""
    data = _data(request)
    asked = {key: data[key] for key in ("into", "back", "page") if data.get(key)}
    if request.htmx:  # from a form with hx-post: the browser goes to the page itself
        return HttpResponseClientRedirect(f"{request.path}?{urlencode(asked)}")
    if asked.get("back") == "queue":
        cancel = (
            f"{reverse('knowledge:theme_proposed')}?{urlencode({'page': asked.get('page', 1)})}"
        )
    else:
        cancel = theme.get_absolute_url()
    context = {"preview": selectors.merge_preview(theme, into), "asked": asked, "cancel": cancel}
    return render(request, "knowledge/theme_merge_confirm.html", context)


# --- "See also" ------------------------------------------------------------------------------


def _related_answer(request: HttpRequest, theme: Theme) -> HttpResponse:
    """The related-themes section for HTMX, else the theme page."""
    if not request.htmx:
        return redirect(theme)
    context = {"theme": theme, **related.theme_relations(theme), "curating": True}
    return _fragments(request, "knowledge/_related_themes.html", context)


@require_POST
@edit_access
def theme_relate(request: HttpRequest, theme_id: int) -> HttpResponse:
    """List another approved theme under this one's "see also" (and this one under it)."""
    theme = _theme(theme_id)

    def relate(other: Theme) -> str:
        themes.theme_relate(theme=theme, other=other, user=request.user)
        return f"“{other}” and “{theme}” now list each other under “See also”."

    _run(request, relate, ThemeRelateForm(request.POST))
    return _related_answer(request, theme)


@require_POST
@edit_access
def theme_unrelate(request: HttpRequest, theme_id: int, other_id: int) -> HttpResponse:
    """Remove a "see also" link between two themes."""
    theme = _theme(theme_id)
    other = get_object_or_404(Theme, pk=other_id)

    def unrelate() -> str:
        themes.theme_unrelate(theme=theme, other=other, user=request.user)
        return f"“{other}” is no longer a “see also” of “{theme}”."

    _run(request, unrelate)
    return _related_answer(request, theme)
