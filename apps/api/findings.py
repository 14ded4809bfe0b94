"""Findings of each kind: list with the explorer's filters, read, create, update, delete,
and their theme links. Writes go through apps.knowledge.findings, like the pages."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from apps.api.auth import EDIT, READ
from apps.api.errors import ERROR_STATUSES, ErrorOut, form_data, register_current
from apps.api.finding_rows import finding_items, finding_rows
from apps.api.pagination import Page, PageParams, links
from apps.api.schemas.common import ThemeNameIn, ThemeRef
from apps.api.schemas.findings import (
    FindingIn,
    FindingOut,
    FindingPatch,
    FindingQuery,
    Kind,
    explorer_data,
    finding_values,
)
from apps.api.types import PathId, Version
from apps.knowledge import findings as services
from apps.knowledge.explorer import (
    FindingFilterForm,
    filtered_count,
    findings_filtered,
)
from apps.knowledge.models import FINDING_MODELS, Finding, Theme
from apps.knowledge.paging import CursorError, after_cursor, cursor_for
from apps.sources.models import Source
from apps.sources.selectors import HEAVY_FIELDS

router = Router(tags=["findings"], auth=READ)


class FindingPage(Page):
    next_cursor: str | None = Field(
        None, description="pass as `cursor` for the next page (fast at any depth)"
    )
    items: list[FindingOut]


class CursorParams(Schema):
    cursor: str | None = Field(
        None,
        max_length=2000,
        description="next_cursor of the previous page: the rows after it (instead of offset)",
    )


def with_themes(queryset: QuerySet) -> QuerySet:
    """What FindingOut shows, in a fixed number of queries whatever the page size."""
    return (
        queryset.select_related("source")
        .defer(*(f"source__{name}" for name in HEAVY_FIELDS))
        .prefetch_related("themes", "source__themes")
    )


def explorer_cleaned(filters: FindingQuery) -> dict:
    """The explorer form's cleaned filter for `filters`; a wrong filter is a 422 naming it."""
    form = FindingFilterForm(explorer_data(filters))
    form_data(form)
    return form.applied()


def explorer_filtered(kind: str, filters: FindingQuery) -> QuerySet[Finding]:
    """The findings the explorer shows for `filters`; a wrong filter is a 422 naming it."""
    return findings_filtered(kind, explorer_cleaned(filters))


def _cursor_page(
    request: HttpRequest, kind: str, cleaned: dict, findings: QuerySet, limit: int, cursor: str
):
    """The `limit` findings after `cursor` (keyset), and the token for the ones after them."""
    sort = cleaned["sort"]
    try:
        rows = finding_rows(
            kind, cleaned, after_cursor(findings, sort, cursor).values("pk")[: limit + 1]
        )
    except CursorError as error:
        raise ValidationError({"cursor": str(error)}) from None
    more, rows = len(rows) > limit, rows[:limit]
    token = cursor_for(rows[-1], sort) if more else None
    query = request.GET.copy()
    query.pop("offset", None)
    if token:
        query["cursor"] = token
    url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}") if token else None
    return rows, token, url


def finding_page(
    request: HttpRequest, kind: str, cleaned: dict, page: PageParams, cursor: str | None
) -> dict:
    """A page of the filtered findings: by offset (numbered) or after a cursor (keyset), in
    FindingPage's shape with FindingOut's values (apps/api/finding_rows.py).

    The total is the cached count (apps/knowledge/cache.py); both kinds of page pick their
    ids over the sort index first (apps/knowledge/paging.py).
    """
    reads = page.limit + 1 if cursor else page.offset + page.limit
    findings = findings_filtered(kind, cleaned, rows=reads)
    sort, count = cleaned["sort"], filtered_count(kind, cleaned)
    if cursor:
        if page.offset:
            raise ValidationError({"cursor": "give a cursor or an offset, not both."})
        rows, token, url = _cursor_page(request, kind, cleaned, findings, page.limit, cursor)
        around = {"next": url, "previous": None}
    else:
        ids = findings.values("pk")[page.offset : page.offset + page.limit]
        rows = finding_rows(kind, cleaned, ids)
        around = links(request, page, count)
        token = cursor_for(rows[-1], sort) if around["next"] and rows else None
    return {
        "count": count,
        **around,
        "next_cursor": token,
        "items": finding_items(kind, rows),
    }


def _finding(kind: str, finding_id: int) -> Finding:
    return get_object_or_404(with_themes(FINDING_MODELS[kind].objects.all()), pk=finding_id)


def _reloaded(finding: Finding) -> Finding:
    return _finding(services.finding_kind(finding), finding.pk)


def current_finding(finding: Finding) -> dict:
    """The current version of a finding, as the 409 answer's details.current."""
    return FindingOut.from_orm(_reloaded(finding)).model_dump(mode="json")


register_current(Finding, current_finding)

ANSWERS = {ERROR_STATUSES: ErrorOut}


@router.get("/findings/{kind}/", response={200: FindingPage, **ANSWERS})
def finding_list(
    request: HttpRequest,
    kind: Kind,
    filters: Query[FindingQuery],
    page: Query[PageParams],
    after: Query[CursorParams],
):
    """Findings of one kind under the explorer's filter, most relevant first by default."""
    result = finding_page(request, kind, explorer_cleaned(filters), page, after.cursor)
    return FindingPage.model_construct(**result)


@router.get("/findings/{kind}/{finding_id}", response={200: FindingOut, **ANSWERS})
def finding_detail(request: HttpRequest, kind: Kind, finding_id: PathId):
    """One finding with its themes, version and which fields an editor curated."""
    return _finding(kind, finding_id)


@router.post("/findings/{kind}/", response={201: FindingOut, **ANSWERS}, auth=EDIT)
def finding_create(request: HttpRequest, kind: Kind, payload: FindingIn):
    """Add a finding to a source (editors)."""
    source = Source.objects.defer(*HEAVY_FIELDS).filter(pk=payload.source).first()
    if source is None:
        raise ValidationError({"source": f"No source has the id {payload.source}."})
    values = finding_values(payload, exclude={"source"})
    finding = services.finding_create(kind=kind, source=source, values=values, user=request.auth)
    return Status(201, _reloaded(finding))


@router.patch("/findings/{kind}/{finding_id}", response={200: FindingOut, **ANSWERS}, auth=EDIT)
def finding_update(request: HttpRequest, kind: Kind, finding_id: PathId, payload: FindingPatch):
    """Change the fields sent; 409 with the current finding if `version` is not current."""
    finding = _finding(kind, finding_id)
    values = finding_values(payload, exclude={"version"})
    services.finding_update(
        finding=finding, values=values, expected_version=payload.version, user=request.auth
    )
    return _finding(kind, finding_id)


@router.delete("/findings/{kind}/{finding_id}", response={204: None, **ANSWERS}, auth=EDIT)
def finding_delete(
    request: HttpRequest, kind: Kind, finding_id: PathId, version: Version | None = None
):
    """Delete a finding; with `version`, only if nobody changed it since (else 409)."""
    finding = _finding(kind, finding_id)
    services.finding_delete(finding=finding, user=request.auth, expected_version=version)
    return Status(204, None)


class AcceptIn(Schema):
    version: Version


@router.post(
    "/findings/{kind}/{finding_id}/accept", response={200: FindingOut, **ANSWERS}, auth=EDIT
)
def finding_accept(request: HttpRequest, kind: Kind, finding_id: PathId, payload: AcceptIn):
    """Accept a machine's finding as it is (it counts as reviewed); 409 if `version` moved on."""
    finding = _finding(kind, finding_id)
    services.finding_accept(finding=finding, user=request.auth, expected_version=payload.version)
    return _finding(kind, finding_id)


@router.post(
    "/findings/{kind}/{finding_id}/themes/", response={201: ThemeRef, **ANSWERS}, auth=EDIT
)
def finding_theme_add(request: HttpRequest, kind: Kind, finding_id: PathId, payload: ThemeNameIn):
    """Link an approved theme (by name or alias) to the finding."""
    finding = _finding(kind, finding_id)
    return Status(201, services.theme_link_add(item=finding, name=payload.name, user=request.auth))


@router.delete(
    "/findings/{kind}/{finding_id}/themes/{theme_id}", response={204: None, **ANSWERS}, auth=EDIT
)
def finding_theme_remove(request: HttpRequest, kind: Kind, finding_id: PathId, theme_id: PathId):
    """Unlink a theme from the finding."""
    finding = _finding(kind, finding_id)
    theme = get_object_or_404(Theme, pk=theme_id)
    services.theme_link_remove(item=finding, theme=theme, user=request.auth)
    return Status(204, None)
