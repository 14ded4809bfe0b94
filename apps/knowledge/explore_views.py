"""The explorer: findings of one kind, filtered by the query string, a page at a time."""

from dataclasses import dataclass
from functools import partial

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_htmx.http import push_url

from apps.accounts.access import read_access
from apps.core.text import counted
from apps.knowledge.cache import cached
from apps.knowledge.explorer import (
    KINDS,
    PAGE_SIZE,
    FindingFilterForm,
    filtered_count,
    findings_filtered,
    findings_with_ids,
    split_themes,
    theme_facets,
    vocabulary_choices,
)
from apps.knowledge.models import FINDING_MODELS, Theme
from apps.knowledge.paging import DeferredPaginator

TEMPLATE = "knowledge/explore.html"


def query(params: QueryDict, **changes) -> str:
    """The query string of `params` without empty values, with `changes` (None drops a key)."""
    result = QueryDict(mutable=True)
    for key, values in params.lists():
        kept = [value for value in values if value.strip()]
        if kept:
            result.setlist(key, kept)
    for key, value in changes.items():
        if value is None or value == []:
            result.pop(key, None)
        elif isinstance(value, list):
            result.setlist(key, value)
        else:
            result[key] = value
    return result.urlencode()


def _title(kind: str) -> str:
    return str(FINDING_MODELS[kind]._meta.verbose_name_plural).capitalize()


@dataclass
class Tab:
    kind: str
    title: str


def _facets(params: QueryDict, kind: str, cleaned: dict) -> list:
    """The theme facets, each with the query string that adds (or, if chosen, drops) it."""
    chosen = [theme.slug for theme in cleaned["theme"]]
    facets = theme_facets(kind, cleaned)
    for facet in facets:
        slug = facet.theme.slug
        slugs = [s for s in chosen if s != slug] if facet.selected else [*chosen, slug]
        facet.query = query(params, theme=slugs, page=None)
    return facets


CHOICE = '<label class="check"><input type="checkbox" name="theme" value="{}"{}> {}</label>'


def _choice_lines() -> list[tuple[str, str]]:
    """(slug, HTML of its unchecked checkbox) for every approved theme, by name."""
    themes = Theme.objects.filter(status=Theme.Status.APPROVED).only("name", "slug")
    return [(theme.slug, format_html(CHOICE, theme.slug, "", theme.name)) for theme in themes]


def _theme_choices(chosen: list[Theme]) -> str:
    """The approved themes' checkboxes, the chosen ones first (checked) so the state is in
    view. Built once per generation of the cache: a base holds thousands of themes, and
    a template loop over them cost more than the rest of the page."""
    slugs = {theme.slug for theme in chosen}
    lines = cached("theme-choices", None, _choice_lines)
    first = [format_html(CHOICE, theme.slug, " checked", theme.name) for theme in chosen]
    return mark_safe("\n".join(first + [html for slug, html in lines if slug not in slugs]))


def _this_year(params: QueryDict) -> str:
    """The query string for the same filter, dated from the first of January."""
    start = timezone.localdate().replace(month=1, day=1).isoformat()
    return query(params, date_from=start, date_to=None, page=None)


def _context(request: HttpRequest, kind: str) -> dict:
    form = vocabulary_choices(FindingFilterForm(request.GET))
    form.is_valid()
    cleaned = form.applied()
    load = partial(findings_with_ids, kind, cleaned)
    paginator = DeferredPaginator(findings_filtered(kind, cleaned), PAGE_SIZE, load=load)
    paginator.count = filtered_count(kind, cleaned)  # cached: not a COUNT per request
    page = paginator.get_page(cleaned.get("page"))
    for finding in page:
        finding.own_themes, finding.inherited_themes = split_themes(finding)
    problems = [f"{form.fields[name].label}: {errs[0]}" for name, errs in form.errors.items()]
    return {
        "kind": kind,
        "title": _title(kind),
        "form": form,
        "problems": problems,
        "cleaned": cleaned,
        "chosen": [theme.slug for theme in cleaned["theme"]],
        "own_scope": cleaned["theme_scope"] == "own",
        "themes": _theme_choices(cleaned["theme"]),
        "page": page,
        "found": counted(page.paginator.count, FINDING_MODELS[kind]),
        "facets": _facets(request.GET, kind, cleaned),
        "tabs": [Tab(k, _title(k)) for k in KINDS],
        "page_query": query(request.GET, page=None),
        "this_year": _this_year(request.GET),
    }


def _explore(request: HttpRequest, kind: str) -> HttpResponse:
    """The whole page, or for HTMX the part its target names (history restores get the page)."""
    template, context = TEMPLATE, _context(request, kind)
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results" if request.htmx.target == "explore-results" else "#explorer"
        # Links outside the swapped part that carry the filter come along out of band.
        context["oob_tabs"] = True
        context["oob_shortcut"] = template.endswith("#results")
    response = render(request, template, context)
    # The same URL answers with a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    if request.htmx:
        shown = query(request.GET)
        return push_url(response, request.path + (f"?{shown}" if shown else ""))
    return response


@read_access
def explore_index(request: HttpRequest) -> HttpResponse:
    """Signals, filtered by the query string."""
    return _explore(request, "signals")


@read_access
def explore_kind(request: HttpRequest, kind: str) -> HttpResponse:
    """Behaviors, technologies or issues (or signals), filtered by the query string."""
    if kind not in KINDS:
        raise Http404("No such kind of finding.")
    return _explore(request, kind)
