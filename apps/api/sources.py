"""Sources: submit links, list and read sources, follow and restart their pipeline, and
their theme links. The same services and selectors as the source pages."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.responses import Status

from apps.api.auth import EDIT, READ, SUBMIT
from apps.api.errors import ERROR_STATUSES, ApiError, ErrorOut, form_data
from apps.api.pagination import Page, PageParams, links
from apps.api.schemas.common import ThemeNameIn, ThemeRef
from apps.api.schemas.sources import (
    ReclassifyIn,
    SourceDetailOut,
    SourceOut,
    SourceQuery,
    SourceStatusOut,
    SubmitIn,
    SubmitOut,
    status_url,
)
from apps.api.source_rows import source_items
from apps.api.types import PathId
from apps.knowledge import findings
from apps.knowledge.models import Theme
from apps.sources import selectors, services
from apps.sources.filters import SourceFilterForm
from apps.sources.models import Source, SourceKeyword

router = Router(tags=["sources"], auth=READ)
ANSWERS = {ERROR_STATUSES: ErrorOut}
BUSY = "This source is being processed; try again when it has finished."


class SourcePage(Page):
    items: list[SourceOut]


def _detailed() -> QuerySet[Source]:
    keywords = SourceKeyword.objects.order_by("position", "id")
    return selectors.source_list().prefetch_related(Prefetch("keyword_links", queryset=keywords))


def _source(source_id: int) -> Source:
    return get_object_or_404(_detailed(), pk=source_id)


def _submitted(result) -> dict:
    accepted = [
        {
            "position": item.line - 1,
            "created": item.created,
            "source": item.source,
            "status_url": status_url(item.source.pk),
        }
        for item in result.accepted
    ]
    refused = [
        {"position": e.line - 1, "text": e.text, "reason": e.reason, "kind": e.kind}
        for e in result.errors
    ]
    return {"accepted": accepted, "refused": refused}


@router.post("/sources/", response={202: SubmitOut, **ANSWERS}, auth=SUBMIT)
def source_submit(request: HttpRequest, payload: SubmitIn):
    """Submit links (analysts): each comes back with its new or existing source and a status
    URL to poll; links that cannot be submitted are listed with the reason."""
    broken = [i for i, url in enumerate(payload.urls) if len(url.splitlines()) > 1]
    if broken:
        raise ValidationError({f"urls.{broken[0]}": "A link cannot contain a line break."})
    # Line n of the text is item n - 1 of the list: urls_submit numbers every line.
    result = services.urls_submit("\n".join(payload.urls), user=request.auth, note=payload.note)
    answer = _submitted(result)
    if not result.accepted:
        refusal = answer["refused"][0]
        message = f"urls.{refusal['position']}: {refusal['reason']}"
        raise ApiError(422, "invalid", message, {"refused": answer["refused"]})
    return Status(202, answer)


@router.get("/sources/", response={200: SourcePage, **ANSWERS})
def source_list(request: HttpRequest, filters: Query[SourceQuery], page: Query[PageParams]):
    """Sources under the sources page's filter, newest submitted first by default."""
    cleaned = form_data(SourceFilterForm(filters.dict(exclude_none=True)))
    sources = selectors.sources_filtered(cleaned)
    count = selectors.sources_count(cleaned, sources)
    ids = sources.values("pk")[page.offset : page.offset + page.limit]
    items = source_items(cleaned, ids)
    return SourcePage.model_construct(count=count, **links(request, page, count), items=items)


@router.get("/sources/{source_id}", response={200: SourceDetailOut, **ANSWERS})
def source_detail(request: HttpRequest, source_id: PathId):
    """One source: its record's values, keywords, themes, finding counts and pipeline state."""
    return _source(source_id)


@router.get(
    "/sources/{source_id}/status",
    response={200: SourceStatusOut, **ANSWERS},
    url_name="source_status",
)
def source_status(request: HttpRequest, source_id: PathId):
    """Where the source is in the pipeline: poll this after submitting."""
    return get_object_or_404(Source.objects.defer(*selectors.HEAVY_FIELDS), pk=source_id)


def _requeued(source_id: int, queued: bool, refusal: str) -> Status:
    if not queued:
        raise ApiError(409, "busy", refusal)
    return Status(
        202, get_object_or_404(Source.objects.defer(*selectors.HEAVY_FIELDS), pk=source_id)
    )


@router.post("/sources/{source_id}/retry", response={202: SourceStatusOut, **ANSWERS}, auth=SUBMIT)
def source_retry(request: HttpRequest, source_id: PathId):
    """Send a finished source through the pipeline again (a done one from the fetch)."""
    source = get_object_or_404(Source.objects.defer(*selectors.HEAVY_FIELDS), pk=source_id)
    return _requeued(source_id, services.source_retry(source, user=request.auth), BUSY)


@router.post(
    "/sources/{source_id}/reclassify", response={202: SourceStatusOut, **ANSWERS}, auth=EDIT
)
def source_reclassify(request: HttpRequest, source_id: PathId, payload: ReclassifyIn):
    """Classify a finished source again (editors); curated values are kept."""
    source = get_object_or_404(Source.objects.defer(*selectors.HEAVY_FIELDS), pk=source_id)
    queued = services.source_reclassify(source, user=request.auth, classifier=payload.classifier)
    return _requeued(source_id, queued, f"{BUSY} A source needs its text to be classified.")


@router.post("/sources/{source_id}/themes/", response={201: ThemeRef, **ANSWERS}, auth=EDIT)
def source_theme_add(request: HttpRequest, source_id: PathId, payload: ThemeNameIn):
    """Link an approved theme (by name or alias) to the source."""
    source = get_object_or_404(Source.objects.defer(*selectors.HEAVY_FIELDS), pk=source_id)
    theme = findings.theme_link_add(item=source, name=payload.name, user=request.auth)
    return Status(201, theme)


@router.delete("/sources/{source_id}/themes/{theme_id}", response={204: None, **ANSWERS}, auth=EDIT)
def source_theme_remove(request: HttpRequest, source_id: PathId, theme_id: PathId):
    """Unlink a theme from the source."""
    source = get_object_or_404(Source.objects.defer(*selectors.HEAVY_FIELDS), pk=source_id)
    theme = get_object_or_404(Theme, pk=theme_id)
    findings.theme_link_remove(item=source, theme=theme, user=request.auth)
    return Status(204, None)
