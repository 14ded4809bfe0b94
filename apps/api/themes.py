"""Themes: list, read, rename, aliases, merge, and the proposed queue's decisions.

Writes go through apps.knowledge.themes, like the theme pages; forms check the input."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status

from apps.api.auth import EDIT, READ
from apps.api.errors import ERROR_STATUSES, ErrorOut, form_data
from apps.api.pagination import Page, PageParams, paginate
from apps.api.schemas.themes import (
    AliasIn,
    AliasOut,
    ChoiceOut,
    MergeIn,
    ProposalOut,
    RelatedOut,
    SeeAlsoIn,
    ThemeDetailOut,
    ThemeIn,
    ThemeOut,
    ThemeRename,
)
from apps.api.types import PathId, text
from apps.knowledge import related, selectors, themes
from apps.knowledge.autocomplete import theme_choices
from apps.knowledge.forms import ThemeMergeForm, ThemeRelateForm
from apps.knowledge.models import Theme, ThemeAlias

router = Router(tags=["themes"], auth=READ)
ANSWERS = {ERROR_STATUSES: ErrorOut}


class ThemePage(Page):
    items: list[ThemeOut]


class ProposalPage(Page):
    items: list[ProposalOut]


class ThemeQuery(Schema):
    q: text(max_length=200) = ""


def _detail(theme_id: int) -> Theme:
    theme = get_object_or_404(Theme.objects.select_related("merged_into"), pk=theme_id)
    page = selectors.theme_page(theme)
    theme.counts = {"sources": page["sources"].total}
    theme.counts.update({group.kind: group.total for group in page["groups"]})
    theme.source_count = theme.counts["sources"]
    return theme


def _curatable(theme_id: int) -> Theme:
    """The theme an editor acts on; merged and rejected ones are settled (404), as on pages."""
    return get_object_or_404(selectors.curatable_themes(), pk=theme_id)


@router.get("/themes/", response={200: ThemePage, **ANSWERS})
def theme_list(request: HttpRequest, filters: Query[ThemeQuery], page: Query[PageParams]):
    """Approved and proposed themes, alphabetical; `q` filters on the name."""
    return paginate(request, selectors.theme_index(filters.q.strip()), page)


@router.post("/themes/", response={201: ThemeDetailOut, **ANSWERS}, auth=EDIT)
def theme_create(request: HttpRequest, payload: ThemeIn):
    """Add an approved theme (editors); a name already taken is refused with the reason."""
    theme = themes.theme_create(name=payload.name, user=request.auth)
    return Status(201, _detail(theme.pk))


@router.get("/themes/choices", response={200: list[ChoiceOut], **ANSWERS})
def theme_choice_list(request: HttpRequest, filters: Query[ThemeQuery]):
    """Approved themes and aliases matching `q`, as the "Add a theme" field suggests them."""
    return theme_choices(filters.q)


@router.get("/themes/proposed/", response={200: ProposalPage, **ANSWERS}, auth=EDIT)
def theme_proposals(request: HttpRequest, page: Query[PageParams]):
    """The queue of proposed themes, most suggested first (editors)."""
    return paginate(request, selectors.proposed_queue(), page)


@router.get("/themes/{theme_id}", response={200: ThemeDetailOut, **ANSWERS})
def theme_detail(request: HttpRequest, theme_id: PathId):
    """One theme with its aliases and how many sources and findings carry it."""
    return _detail(theme_id)


@router.patch("/themes/{theme_id}", response={200: ThemeDetailOut, **ANSWERS}, auth=EDIT)
def theme_rename(request: HttpRequest, theme_id: PathId, payload: ThemeRename):
    """Rename a theme; the old name becomes an alias."""
    themes.theme_rename(_curatable(theme_id), name=payload.name, user=request.auth)
    return _detail(theme_id)


@router.post("/themes/{theme_id}/aliases/", response={201: AliasOut, **ANSWERS}, auth=EDIT)
def theme_alias_add(request: HttpRequest, theme_id: PathId, payload: AliasIn):
    """Add another spelling that leads to this theme."""
    alias = themes.theme_alias_add(_curatable(theme_id), name=payload.name, user=request.auth)
    return Status(201, alias)


@router.delete("/themes/{theme_id}/aliases/{alias_id}", response={204: None, **ANSWERS}, auth=EDIT)
def theme_alias_remove(request: HttpRequest, theme_id: PathId, alias_id: PathId):
    """Remove an alias."""
    alias = get_object_or_404(ThemeAlias, pk=alias_id, theme=_curatable(theme_id))
    themes.theme_alias_remove(alias, user=request.auth)
    return Status(204, None)


@router.post("/themes/{theme_id}/merge", response={200: ThemeDetailOut, **ANSWERS}, auth=EDIT)
def theme_merge(request: HttpRequest, theme_id: PathId, payload: MergeIn):
    """Merge this theme into another; answers with the theme merged into."""
    theme = _curatable(theme_id)
    into = form_data(ThemeMergeForm({"into": payload.into}))["into"]
    themes.theme_merge(theme, into=into, user=request.auth)
    return _detail(into.pk)


@router.post("/themes/{theme_id}/accept", response={200: ThemeDetailOut, **ANSWERS}, auth=EDIT)
def theme_accept(request: HttpRequest, theme_id: PathId):
    """Approve a proposed theme; the sources that suggested it now carry it."""
    themes.theme_accept(_curatable(theme_id), user=request.auth)
    return _detail(theme_id)


@router.post("/themes/{theme_id}/reject", response={200: ThemeDetailOut, **ANSWERS}, auth=EDIT)
def theme_reject(request: HttpRequest, theme_id: PathId):
    """Reject a proposed theme; its name is never proposed again."""
    themes.theme_reject(_curatable(theme_id), user=request.auth)
    return _detail(theme_id)


@router.get("/themes/{theme_id}/related", response={200: list[RelatedOut], **ANSWERS})
def theme_related(request: HttpRequest, theme_id: PathId):
    """ "See also" themes editors declared, then the themes most often on the same sources."""
    return related.related_themes(get_object_or_404(Theme, pk=theme_id))


@router.post("/themes/{theme_id}/see-also/", response={201: list[RelatedOut], **ANSWERS}, auth=EDIT)
def theme_relate(request: HttpRequest, theme_id: PathId, payload: SeeAlsoIn):
    """List another approved theme under this one's "see also", and this one under it."""
    theme = _curatable(theme_id)
    other = form_data(ThemeRelateForm({"other": payload.other}))["other"]
    themes.theme_relate(theme=theme, other=other, user=request.auth)
    return Status(201, related.related_themes(theme))


@router.delete("/themes/{theme_id}/see-also/{other_id}", response={204: None, **ANSWERS}, auth=EDIT)
def theme_unrelate(request: HttpRequest, theme_id: PathId, other_id: PathId):
    """Remove a "see also" link between two themes."""
    theme = _curatable(theme_id)
    other = get_object_or_404(Theme, pk=other_id)
    themes.theme_unrelate(theme=theme, other=other, user=request.auth)
    return Status(204, None)
