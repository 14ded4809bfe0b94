"""The explorer's filter: one form and two selectors, shared by the pages, the API and exports.

The form's field names are the query parameters, so a URL carries the whole state of a
view. A wrong parameter is reported by field while the valid ones still apply.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import Count, DateField, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from apps.knowledge.cache import cached
from apps.knowledge.models import FINDING_MODELS, Category, Finding, SourceType, Theme
from apps.knowledge.resolve import resolve_theme
from apps.knowledge.theme_filter import HASHED, carries, cheapest_form, table_size
from apps.knowledge.vocabulary import name_key
from apps.search.query import SearchQueryError, matching_ids, parse
from apps.sources.models import Source

KINDS: tuple[str, ...] = tuple(FINDING_MODELS)
PAGE_SIZE = 25
DEFAULT_SORT = "-relevancy"
SORTS = {
    "-relevancy": "Relevancy, highest first",
    "relevancy": "Relevancy, lowest first",
    "-date": "Date, newest first",
    "date": "Date, oldest first",
    "name": "Name, A to Z",
    "-name": "Name, Z to A",
}
# Only approved themes carry links: proposed ones wait as suggestions, merged ones moved theirs.
LIVE_THEMES = (Theme.Status.APPROVED,)
MAX_FACETS = 30
# Which theme links a theme filter looks at: the finding's own only, or its source's too.
# "any" is the default: imported records and findings without themes of their own carry
# their source's, and a theme page must not lose them. "own" tells apart the findings of one
# source (docs/ui.md).
SCOPES = {
    "any": "Own or source's",
    "own": "Own only",
}
DEFAULT_SCOPE = "any"


class SlugsField(forms.MultipleChoiceField):
    """Theme slugs (or names), one or many; FindingFilterForm.clean() looks them up."""

    def to_python(self, value) -> list[str]:
        if isinstance(value, str):  # a plain dict (not a QueryDict) may hold one slug
            value = [value]
        return super().to_python(value)

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if any("\x00" in slug for slug in value):  # PostgreSQL cannot even look it up
            raise forms.ValidationError("a theme slug cannot contain NUL characters.")

    def valid_value(self, value) -> bool:
        # Unknown slugs are reported by clean(), which keeps the known ones: one stale
        # slug in a shared URL must not drop the others.
        return True


def _date_field(label: str) -> forms.DateField:
    """An ISO date, as the URL and the browser's date picker write it."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "give a date as YYYY-MM-DD."},
    )


class FindingFilterForm(forms.Form):
    """The explorer's query parameters; `cleaned_data` keeps every valid one."""

    # The `theme` values that name no live theme (set by clean()).
    unknown_themes: list[str] | tuple = ()

    theme = SlugsField(label="Themes", required=False)
    match = forms.ChoiceField(
        label="Match",
        required=False,
        choices=[("any", "Any of the themes"), ("all", "All of the themes")],
    )
    theme_scope = forms.ChoiceField(
        label="Themes carried",
        required=False,
        choices=list(SCOPES.items()),
        error_messages={"invalid_choice": "choose “own” or “any”."},
    )
    category = forms.ModelChoiceField(
        label="Category",
        queryset=Category.objects.order_by("name"),
        to_field_name="name",
        required=False,
        empty_label="Any category",
        error_messages={"invalid_choice": "there is no category by that name."},
    )
    type = forms.ModelChoiceField(
        label="Type",
        queryset=SourceType.objects.order_by("name"),
        to_field_name="name",
        required=False,
        empty_label="Any type",
        error_messages={"invalid_choice": "there is no source type by that name."},
    )
    min_relevancy = forms.TypedChoiceField(
        label="Minimum relevancy",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any"), *((str(n), f"{n} or more") for n in range(1, 6))],
        error_messages={"invalid_choice": "give a number from 1 to 5."},
    )
    date_from = _date_field("From")
    date_to = _date_field("To")
    source = forms.ModelChoiceField(
        label="Source",
        queryset=Source.objects.only("id", "title", "canonical_url"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "there is no source with that id."},
    )
    q = forms.CharField(
        label="Text",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(SORTS.items()))
    page = forms.IntegerField(
        label="Page",
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"invalid": "give a page number.", "min_value": "give a page number."},
    )

    def clean_q(self) -> str:
        text = self.cleaned_data["q"]
        if text:
            try:
                parse(text)
            except SearchQueryError as error:
                raise forms.ValidationError(str(error)) from None
        return text

    def clean_match(self) -> str:
        return self.cleaned_data["match"] or "any"

    def clean_theme_scope(self) -> str:
        return self.cleaned_data["theme_scope"] or DEFAULT_SCOPE

    def clean_sort(self) -> str:
        return self.cleaned_data["sort"] or DEFAULT_SORT

    def clean(self) -> dict:
        cleaned = super().clean()
        slugs = [slug.strip() for slug in self.cleaned_data.get("theme", []) if slug.strip()]
        found = {t.slug: t for t in Theme.objects.filter(slug__in=slugs, status__in=LIVE_THEMES)}
        found.update(_named([slug for slug in slugs if slug not in found]))
        unknown = self.unknown_themes = [slug for slug in slugs if slug not in found]
        if unknown:
            names = ", ".join(f"“{slug}”" for slug in unknown)
            self.add_error("theme", f"no theme is known as {names}; the other themes apply.")
        cleaned["theme"] = list(dict.fromkeys(found[slug] for slug in slugs if slug in found))
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "the end date is before the start date.")
        return cleaned

    def applied(self) -> dict:
        """The valid parameters, with defaults for the rest (call after is_valid())."""
        cleaned = {"match": "any", "sort": DEFAULT_SORT, "theme": [], "theme_scope": DEFAULT_SCOPE}
        cleaned.update({k: v for k, v in self.cleaned_data.items() if v not in (None, "")})
        return cleaned


def _vocabulary(model) -> list[tuple[str, str]]:
    return [(entry.name, entry.name) for entry in model.objects.order_by("name")]


def vocabulary_choices(form: FindingFilterForm) -> FindingFilterForm:
    """The form, its category and type menus filled from the cache instead of two queries
    per page (cached until the knowledge or the vocabularies change)."""
    for name, model, empty in (
        ("category", Category, "Any category"),
        ("type", SourceType, "Any type"),
    ):
        entries = cached("vocabulary", model._meta.label, lambda model=model: _vocabulary(model))
        form.fields[name].choices = [("", empty), *entries]
    return form


def _named(values: list[str]) -> dict[str, Theme]:
    """Themes given by name (typed into the explorer's "Another theme"), by an alias, or by
    the old slug of a merged theme, so bookmarked URLs keep working."""
    found = {}
    for value in values[:10]:  # a bounded number of lookups, whatever the URL holds
        resolved = resolve_theme(name_key(value))
        theme = resolved.theme or resolved.redirect_to
        if theme is not None and theme.status in LIVE_THEMES:
            found[value] = theme
    return found


def _themes(cleaned: dict) -> list[Theme]:
    themes = cleaned.get("theme") or []
    slugs = [t for t in themes if isinstance(t, str)]
    if slugs:  # callers building `cleaned` by hand may pass slugs
        themes = [t for t in themes if not isinstance(t, str)]
        themes += list(Theme.objects.filter(slug__in=slugs))
    return themes


def _text(kind: str, text: str) -> Q:
    """Findings whose name, description or signal fields hold every word (apps/search).

    The search index answers, not LIKE over five columns: the same words, stemmed, and the
    search syntax (quotes, OR, -minus); docs/search.md.
    """
    try:
        return Q(pk__in=matching_ids(kind, parse(text)))
    except SearchQueryError:  # a hand-built filter; forms report it (clean_q)
        return Q(pk__in=[])


def finding_date() -> Coalesce:
    """A finding's date: its source's publication date, else the day it was submitted."""
    return Coalesce(
        F("source__published_on"), TruncDate("source__submitted_at"), output_field=DateField()
    )


def _filtered(kind: str, cleaned: dict, form: str = HASHED) -> QuerySet[Finding]:
    model = FINDING_MODELS[kind]
    findings = model.objects.annotate(date=finding_date())
    themes = _themes(cleaned)
    scope = cleaned.get("theme_scope") or DEFAULT_SCOPE
    if themes and cleaned.get("match") == "all":
        for theme in themes:
            findings = findings.filter(carries(model, [theme], scope, form))
    elif themes:
        findings = findings.filter(carries(model, themes, scope, form))
    simple = {
        "category": "source__category",
        "type": "source__source_type",
        "source": "source",
        "min_relevancy": "relevancy__gte",
        "date_from": "date__gte",
        "date_to": "date__lte",
    }
    for key, lookup in simple.items():
        if cleaned.get(key) not in (None, ""):
            findings = findings.filter(**{lookup: cleaned[key]})
    if cleaned.get("q"):
        findings = findings.filter(_text(kind, cleaned["q"]))
    return findings


def findings_matching(kind: str, cleaned: dict) -> QuerySet[Finding]:
    """The findings of one kind matching `cleaned`, unsorted, with their `date`: the base of
    aggregates (trends, the radar) that must count what the explorer would list."""
    return _filtered(kind, cleaned)


def _ordering(sort: str) -> list:
    """The sort, then ties broken the same way every time. Dates are the stored copy
    `sort_date` (equal to the `date` annotation), so the sorts follow the indexes of
    migration 0007 instead of sorting every finding joined to its source."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    field = F("sort_date" if key == "date" else key)
    first = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
    tie = ["-sort_date" if key != "date" else "name", "source_id", "position", "id"]
    return [first, *tie]


def _sort(cleaned: dict) -> str:
    sort = cleaned.get("sort") or DEFAULT_SORT
    return sort if sort in SORTS else DEFAULT_SORT


def _for_page(findings: QuerySet[Finding], sort: str) -> QuerySet[Finding]:
    return (
        findings.select_related("source__category", "source__source_type")
        .defer("source__raw_content", "source__extracted_text")
        .prefetch_related("themes", "source__themes")
        .order_by(*_ordering(sort))
    )


def findings_filtered(kind: str, cleaned: dict, *, rows: int | None = None) -> QuerySet[Finding]:
    """The findings of one kind matching `cleaned`, sorted, ready for a page of results.

    `rows`: the caller reads only the first ones (a page's offset + size), so the theme
    filter may take the fastest form for them (theme_form).
    """
    form = theme_form(kind, cleaned, rows) if rows else HASHED
    return _for_page(_filtered(kind, cleaned, form), _sort(cleaned))


def theme_form(kind: str, cleaned: dict, rows: int) -> str:
    """How to write `cleaned`'s theme filter for a page that reads its first `rows`
    findings (apps/knowledge/theme_filter.py), from the cached counts."""
    scope = cleaned.get("theme_scope") or DEFAULT_SCOPE
    if not _themes(cleaned) or scope == "own":
        return HASHED
    return cheapest_form(filtered_count(kind, cleaned), table_size(kind), rows)


def findings_with_ids(kind: str, cleaned: dict, ids: QuerySet) -> QuerySet[Finding]:
    """The findings whose ids `ids` selects (a sliced page of findings_filtered's ids), with
    what a page shows, in `cleaned`'s order. The filter is not applied again: the database
    would scan the table to apply it to rows it has already chosen (apps/knowledge/paging.py).
    """
    model = FINDING_MODELS[kind]
    return _for_page(model.objects.annotate(date=finding_date()).filter(pk__in=ids), _sort(cleaned))


# The filters that decide which findings match (not how they are sorted or paged).
FILTER_KEYS = ("match", "theme_scope", "min_relevancy", "date_from", "date_to", "q")
ROW_KEYS = ("category", "type", "source")


def filter_key(kind: str, cleaned: dict) -> tuple:
    """What identifies the matching findings of `cleaned`, for cache keys: ids, not rows."""
    themes = tuple(sorted(theme.pk for theme in _themes(cleaned)))
    rows = tuple(getattr(cleaned.get(key), "pk", None) for key in ROW_KEYS)
    values = tuple(str(cleaned.get(key) or "") for key in FILTER_KEYS)
    return (kind, themes, rows, values)


def filtered_count(kind: str, cleaned: dict) -> int:
    """How many findings match `cleaned` (cached until the knowledge changes)."""
    return cached("count", filter_key(kind, cleaned), lambda: _filtered(kind, cleaned).count())


def carried_themes(finding: Finding) -> list[Theme]:
    """The themes a finding carries, its own then its source's, from the prefetched links."""
    own, inherited = split_themes(finding)
    return own + inherited


def split_themes(finding: Finding) -> tuple[list[Theme], list[Theme]]:
    """A finding's own themes, and those it inherits from its source only (prefetched)."""
    own = list(finding.themes.all())
    seen = {theme.pk for theme in own}
    return own, [t for t in finding.source.themes.all() if t.pk not in seen]


@dataclass
class ThemeFacet:
    theme: Theme
    count: int  # findings carrying the theme, their own or their source's
    selected: bool = False
    own: int = 0  # findings carrying it themselves


def theme_facets(kind: str, cleaned: dict, *, limit: int = MAX_FACETS) -> list[ThemeFacet]:
    """How many of the filtered findings carry each theme, most first (cached until the
    knowledge changes; computed in four queries)."""
    key = (filter_key(kind, cleaned), limit)
    return cached("facets", key, lambda: _theme_facets(kind, cleaned, limit=limit))


def _theme_facets(kind: str, cleaned: dict, *, limit: int) -> list[ThemeFacet]:
    """The facets, counted: four aggregate queries over the filtered findings.

    A finding counted through its own link and through its source's link counts once:
    the pairs linked both ways are counted separately and taken off. Each facet also says
    how many carry the theme themselves; with scope "own" that count orders the list.
    """
    findings = _filtered(kind, cleaned).order_by()
    own = findings.values("theme_links__theme").annotate(n=Count("id"))
    inherited = findings.values("source__theme_links__theme").annotate(n=Count("id"))
    both = (
        findings.filter(theme_links__theme=F("source__theme_links__theme"))
        .values("theme_links__theme")
        .annotate(n=Count("id"))
    )
    counts: dict[int, int] = {}
    own_counts: dict[int, int] = {}
    for row in own:
        counts[row["theme_links__theme"]] = own_counts[row["theme_links__theme"]] = row["n"]
    for row in inherited:
        key = row["source__theme_links__theme"]
        counts[key] = counts.get(key, 0) + row["n"]
    for row in both:
        counts[row["theme_links__theme"]] -= row["n"]
    counts.pop(None, None)
    themes = Theme.objects.filter(pk__in=counts, status__in=LIVE_THEMES).in_bulk()
    selected = {theme.pk for theme in _themes(cleaned)}
    facets = [
        ThemeFacet(theme, counts[pk], pk in selected, own_counts.get(pk, 0))
        for pk, theme in themes.items()
        if counts[pk]
    ]
    if cleaned.get("theme_scope") == "own":  # a theme no finding carries itself finds none
        facets = [facet for facet in facets if facet.own or facet.selected]
        facets.sort(key=lambda facet: (-facet.own, -facet.count, facet.theme.name.casefold()))
    else:
        facets.sort(key=lambda facet: (-facet.count, facet.theme.name.casefold()))
    return facets[:limit]
