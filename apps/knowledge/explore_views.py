"""The explorer: findings of one kind, filtered by the query string, a page at a time."""

from dataclasses import dataclass
from functools import partial

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django_htmx.http import push_url

from apps.accounts.access import read_access
from apps.core.text import counted
from apps.knowledge import selectors
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


@dataclass
class Checkbox:
    slug: str
    name: str
    checked: bool


def _theme_checkboxes(chosen: list[Theme]) -> list[Checkbox]:
    """The chosen themes (checked), then the most used ones, checked where chosen.

    Not every approved theme: a base holds thousands, a list nobody scans that was three
    quarters of the page's weight (190 of 250 KB with 1,810 themes). Any other theme is one
    search away (the "Another theme" field). The most used keep their place whether checked
    or not, so a box does not move under the pointer when the list comes back with results.
    """
    top = selectors.most_used_themes()
    in_top = {slug for slug, _ in top}
    slugs = {theme.slug for theme in chosen}
    first = [Checkbox(theme.slug, theme.name, True) for theme in chosen if theme.slug not in in_top]
    return first + [Checkbox(slug, name, slug in slugs) for slug, name in top]


def _this_year(params: QueryDict) -> str:
    """The query string for the same filter, dated from the first of January."""
    start = timezone.localdate().replace(month=1, day=1).isoformat()
    return query(params, date_from=start, date_to=None, page=None)


def _rows(kind: str, cleaned: dict, ids: QuerySet) -> list[str]:
    """The results whose ids `ids` selects, each as the HTML of its list item.

    A row shows the same to every reader (in one time zone: a finding's date is its source's
    submission day there), so the rows of a page are rendered once per generation of the
    cache (apps/knowledge/cache.py) and kept under their ids: loading 25 findings with their
    sources and themes and rendering them was most of the explorer's time outside SQL.
    """
    pks = [row["pk"] for row in ids]
    key = (kind, tuple(pks), timezone.get_current_timezone_name())
    return cached("explore-rows", key, lambda: _render_rows(kind, cleaned, pks))


def _render_rows(kind: str, cleaned: dict, pks: list[int]) -> list[str]:
    rows = {}
    for finding in findings_with_ids(kind, cleaned, pks):
        finding.own_themes, finding.inherited_themes = split_themes(finding)
        context = {"finding": finding, "kind": kind}
        rows[finding.pk] = render_to_string(f"{TEMPLATE}#result", context)
    return [rows[pk] for pk in pks if pk in rows]  # in the page's order, whatever the sort


def _rows_read(page: int | None, count: int) -> int:
    """The last row the asked page shows (a page past the end shows the last one)."""
    last_page = max(1, -(-count // PAGE_SIZE))
    return min(page or 1, last_page) * PAGE_SIZE


def _context(request: HttpRequest, kind: str) -> dict:
    form = vocabulary_choices(FindingFilterForm(request.GET))
    form.is_valid()
    cleaned = form.applied()
    load = partial(_rows, kind, cleaned)
    count = filtered_count(kind, cleaned)  # cached: not a COUNT per request
    # How far along the sorted findings the page reads lets the theme filter take its
    # fastest form: a rare theme's findings by list, not by walking the whole table.
    findings = findings_filtered(kind, cleaned, rows=_rows_read(cleaned.get("page"), count))
    paginator = DeferredPaginator(findings, PAGE_SIZE, load=load)
    paginator.count = count
    page = paginator.get_page(cleaned.get("page"))
    problems = [f"{form.fields[name].label}: {errs[0]}" for name, errs in form.errors.items()]
    return {
        "kind": kind,
        "title": _title(kind),
        "form": form,
        "problems": problems,
        "cleaned": cleaned,
        "chosen": [theme.slug for theme in cleaned["theme"]],
        "own_scope": cleaned["theme_scope"] == "own",
        "themes": _theme_checkboxes(cleaned["theme"]),
        # A name that found no theme stays in the field, to be corrected.
        "typed_theme": next(iter(form.unknown_themes), ""),
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
        # Links outside the swapped part that carry the filter come along out of band, and
        # so do the theme checkboxes: a theme typed into "Another theme" joins them checked.
        context["oob_tabs"] = True
        context["oob_shortcut"] = context["oob_themes"] = template.endswith("#results")
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
