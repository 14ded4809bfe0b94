"""A page of findings as FindingOut objects, built from trimmed rows and two link queries.

Through the schema, each finding of a 100-row page went through ninja's getter and
pydantic field by field, with its own and its source's themes prefetched as a manager and
a queryset per row: about 25 ms of the 40 ms of Python per page on the size-20 benchmark
base, and so many short-lived objects that a full garbage collection (80 ms there) ran
every twenty requests, the p95 (docs/performance.md). Here the rows load only the columns
FindingOut shows, the themes come as one ThemeRef per theme (apps/api/theme_refs.py), and
the objects are built with model_construct(): these values come from the database through
the models, not from a client, and ninja does not validate a response that is already its
schema's instance. tests/api/test_finding_rows.py checks every field against
FindingOut.from_orm().
"""

from django.db.models import QuerySet

from apps.api.schemas.common import ThemeRef
from apps.api.schemas.findings import FindingOut
from apps.api.theme_refs import themes_by_owner
from apps.knowledge.explorer import findings_with_ids
from apps.knowledge.models import FINDING_MODELS, Finding, Signal
from apps.sources.models import SourceTheme

# What FindingOut and the cursor (apps/knowledge/paging.py) read: not machine_values, the
# largest column, nor anything of the source but its title.
_COLUMNS = (
    "id",
    "source_id",
    "position",
    "name",
    "description",
    "relevancy",
    "confidence",
    "origin",
    "reviewed_at",
    "sort_date",
    "version",
    "curated",
    "updated_at",
    "source__title",
    "source__canonical_url",
)
_SIGNAL_COLUMNS = ("change", "ten_year", "driving_force")
BY_NAME = ("theme__name", "theme_id")


def finding_rows(kind: str, cleaned: dict, ids: QuerySet) -> list[Finding]:
    """The findings `ids` selects, in `cleaned`'s order, with only what FindingOut shows."""
    model = FINDING_MODELS[kind]
    columns = _COLUMNS + (_SIGNAL_COLUMNS if model is Signal else ())
    rows = findings_with_ids(kind, cleaned, ids).select_related(None).prefetch_related(None)
    return list(rows.select_related("source").only(*columns))


def finding_items(kind: str, findings: list[Finding]) -> list[FindingOut]:
    """FindingOut for each of `findings` (from finding_rows); the themes in two queries."""
    model = FINDING_MODELS[kind]
    links, owner = model.theme_links.rel.related_model, model._meta.model_name
    refs: dict[int, ThemeRef] = {}
    # By name, as the models' `themes` managers order them (Theme.Meta).
    own = themes_by_owner(links.objects.filter(**{f"{owner}__in": findings}), owner, BY_NAME, refs)
    sources = SourceTheme.objects.filter(source__in={finding.source_id for finding in findings})
    carried = themes_by_owner(sources, "source", BY_NAME, refs)
    items = []
    for finding in findings:
        themes = own.get(finding.pk, [])
        inherited = [t for t in carried.get(finding.source_id, []) if t not in themes]
        items.append(
            FindingOut.model_construct(
                id=finding.pk,
                kind=kind,
                source=finding.source_id,
                source_title=str(finding.source),
                name=finding.name,
                description=finding.description,
                relevancy=finding.relevancy,
                change=getattr(finding, "change", None),
                ten_year=getattr(finding, "ten_year", None),
                driving_force=getattr(finding, "driving_force", None),
                themes=themes,
                source_themes=inherited,
                confidence=finding.confidence,
                reviewed=finding.reviewed,
                draft=finding.draft,
                version=finding.version,
                origin=finding.origin,
                curated=sorted(finding.curated),
                updated_at=finding.updated_at,
            )
        )
    return items
