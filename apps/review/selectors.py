"""The review queue: every kind of unreviewed machine finding in one list, a page at a time.

One UNION query orders and pages the (kind, id) pairs, then one query per kind on the page
fetches the rows: the same few queries for a queue of 10 or 10,000 findings.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import CharField, F, Value

from apps.knowledge.drafts import unreviewed
from apps.knowledge.models import FINDING_MODELS, Finding
from apps.sources.selectors import HEAVY_FIELDS

PAGE_SIZE = 25
SORTS = {
    "confidence": "Least sure first",
    "relevancy": "Most relevant first",
}
DEFAULT_SORT = "confidence"


@dataclass
class Entry:
    kind: str
    finding: Finding

    @property
    def kind_label(self) -> str:
        return str(FINDING_MODELS[self.kind]._meta.verbose_name)


def _ordering(sort: str) -> list:
    # A finding without a confidence (classified before they were stored) is the least sure.
    confidence = F("confidence").asc(nulls_first=True)
    relevancy = F("relevancy").desc(nulls_last=True)
    first = [relevancy, confidence] if sort == "relevancy" else [confidence, relevancy]
    return [*first, F("created_at").desc(), "kind", "id"]


def queue_entries(*, sort: str = DEFAULT_SORT, drafts_only: bool = False):
    """(kind, id, ...) of every unreviewed machine finding, in the queue's order."""
    parts = []
    for kind, model in FINDING_MODELS.items():
        findings = model.objects.filter(unreviewed())
        if drafts_only:
            findings = findings.filter(confidence__lt=settings.SPYGLASS_DRAFT_CONFIDENCE)
        parts.append(
            findings.annotate(kind=Value(kind, output_field=CharField()))
            .values("kind", "id", "confidence", "relevancy", "created_at")
            .order_by()
        )
    first, *others = parts
    return first.union(*others, all=True).order_by(*_ordering(sort))


def queue_page(*, number, sort: str = DEFAULT_SORT, drafts_only: bool = False) -> Page:
    """One page of the queue, its rows as `Entry` objects with their findings and sources."""
    page = Paginator(queue_entries(sort=sort, drafts_only=drafts_only), PAGE_SIZE).get_page(number)
    wanted: dict[str, list[int]] = {}
    for row in page.object_list:
        wanted.setdefault(row["kind"], []).append(row["id"])
    found = {}
    for kind, ids in wanted.items():
        rows = (
            FINDING_MODELS[kind]
            .objects.filter(pk__in=ids)
            .select_related("source")
            .defer(*(f"source__{name}" for name in HEAVY_FIELDS))
        )
        found.update({(kind, finding.pk): finding for finding in rows})
    page.object_list = [
        Entry(row["kind"], found[row["kind"], row["id"]])
        for row in page.object_list
        if (row["kind"], row["id"]) in found  # deleted between the two queries
    ]
    return page
