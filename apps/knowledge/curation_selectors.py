"""Reads for editors' curation: the items they act on, the tables they see, the history."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404

from apps.core.audit import history_for
from apps.core.models import AuditEntry, Origin
from apps.knowledge.models import FINDING_MODELS, Finding
from apps.sources.models import Source
from apps.sources.selectors import (
    FINDING_TITLES,
    HEAVY_FIELDS,
    FindingTable,
    findings_with_themes,
)

# The kind name of a source in curation URLs, beside the finding kinds.
SOURCE_KIND = "sources"
HISTORY_LIMIT = 200
# The optional inputs of the finding tables, rows and theme fragments (the form that failed,
# an alert, a refused theme and what was typed ...), empty: a page of many rows passes them
# because Django looks a missing variable up through four exceptions, ten times a row.
FRAGMENT_INPUTS = {
    "add_form": None,
    "alert": "",
    "focus_edit": False,
    "editing": False,
    "theme_error": "",
    "typed": "",
}
ORIGINS = dict(Origin.choices)


def curation_item(kind: str, item_id: int) -> Source | Finding:
    """The source or finding a curation URL names, with what its fragments show; else 404."""
    if kind == SOURCE_KIND:
        source = Source.objects.defer(*HEAVY_FIELDS).prefetch_related("theme_links__theme")
        return get_object_or_404(source, pk=item_id)
    model = FINDING_MODELS.get(kind)
    if model is None:
        raise Http404("No such kind of finding.")
    findings = findings_with_themes(model).select_related("source", "updated_by")
    return get_object_or_404(findings.defer(*(f"source__{f}" for f in HEAVY_FIELDS)), pk=item_id)


def finding_table(source: Source, kind: str) -> FindingTable:
    """One of the source page's four tables, as the page shows it."""
    rows = list(findings_with_themes(FINDING_MODELS[kind]).filter(source=source))
    show_relevancy = any(row.relevancy is not None for row in rows)
    return FindingTable(kind, FINDING_TITLES[kind], rows, show_relevancy)


def item_themes(item: Source | Finding) -> list:
    return [link.theme for link in item.theme_links.all()]


@dataclass
class HistoryRow:
    at: datetime
    who: str
    action: str
    field: str
    old: str
    new: str


def _label(model, field: str) -> str:
    if field in FINDING_TITLES:
        return FINDING_TITLES[field]
    try:
        return str(model._meta.get_field(field).verbose_name).capitalize()
    except FieldDoesNotExist:  # an old entry may name a field the model no longer has
        return field.replace("_", " ").capitalize()


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_text(v)}" for key, v in value.items())
    return str(value)


def _action(entry: AuditEntry) -> str:
    if entry.field == "themes" or entry.field in FINDING_TITLES:
        return "added" if entry.old is None else "removed"
    if entry.action == AuditEntry.Action.IMPORT:
        return _imported(entry.new if isinstance(entry.new, dict) else {})
    return {"create": "set", "delete": "deleted"}.get(entry.action, "changed")


def _imported(how: dict) -> str:
    """An import entry in words: "imported from 000_x.txt with manage.py import_markdown"."""
    words = "restored from a backup" if "backup" in how else "imported"
    name = how.get("file") or how.get("backup")
    if name:
        words += f" from {name}"
    if how.get("via"):
        words += f" with {how['via']}"
    return words


def item_history(item: Source | Finding, *, limit: int = HISTORY_LIMIT) -> list[HistoryRow]:
    """Who changed what on an item and when, newest first, as words a reader understands."""
    model = type(item)
    return [
        HistoryRow(
            at=entry.at,
            who=entry.actor.get_username()
            if entry.actor
            else ORIGINS.get(entry.origin, entry.origin),
            action=_action(entry),
            field=_label(model, entry.field) if entry.field else "",
            old=_text(entry.old),
            new="—" if entry.action == AuditEntry.Action.IMPORT else _text(entry.new),
        )
        for entry in history_for(item)[:limit]
    ]
