"""The audit history of one item: who changed what, when, from what, to what."""

from datetime import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from apps.api.auth import READ
from apps.api.errors import ERROR_STATUSES, ErrorOut
from apps.api.pagination import Page, PageParams, paginate
from apps.api.types import PathId
from apps.core.audit import history_for
from apps.core.models import AuditEntry
from apps.knowledge.models import FINDING_MODELS, Theme
from apps.sources.models import Source

router = Router(tags=["history"], auth=READ)

ItemType = Literal["sources", "themes", "signals", "behaviors", "technologies", "issues"]
ITEM_MODELS = {"sources": Source, "themes": Theme, **FINDING_MODELS}


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str | None
    origin: str
    action: str
    field: str
    old: Any = None
    new: Any = None
    item: str

    @staticmethod
    def resolve_actor(obj: AuditEntry) -> str | None:
        return obj.actor.get_username() if obj.actor else None

    @staticmethod
    def resolve_item(obj: AuditEntry) -> str:
        return obj.target_repr


class AuditPage(Page):
    items: list[AuditOut]


@router.get("/history/{item_type}/{item_id}", response={200: AuditPage, ERROR_STATUSES: ErrorOut})
def item_history(
    request: HttpRequest, item_type: ItemType, item_id: PathId, page: Query[PageParams]
):
    """An item's audit entries, newest first; a deleted item's history stays readable."""
    model = ITEM_MODELS[item_type]
    # An unsaved instance with the id is enough to find the entries, even once it is gone.
    entries = history_for(model(pk=item_id))
    if not entries.exists() and not model.objects.filter(pk=item_id).exists():
        raise Http404(f"No {model._meta.verbose_name} has the id {item_id}.")
    return paginate(request, entries, page)
