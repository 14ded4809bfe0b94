"""How the explorer's theme filter is written in SQL, one of three forms chosen per page.

A theme filter with scope "any" keeps a finding linked to one of the themes itself or
through its source. PostgreSQL cannot make one plan that is fast for every theme: the
cost depends on how many findings match and how far along the sort order a page reads.
Measured with EXPLAIN ANALYZE on the size-20 base (1,000,000 signals; docs/performance.md,
"Theme filters"), one page of 100 signals:

- HASHED: uncorrelated IN lists of the themes' links, each built once and hashed, then the
  walk along the sort's index checks each row against them. Not EXISTS: PostgreSQL cannot
  turn two OR-ed EXISTS into joins. Building the lists costs every link of the themes (40
  to 100 ms for the biggest theme), and when few findings match, the walk reads the whole
  table to find them (2.3 to 3.4 s for a theme of 6 sources). Best in between (a theme of
  3% of the sources: 16 ms) and for deep offsets.
- PROBED: a scalar subquery per row, which PostgreSQL cannot turn into a hashed list, so
  the walk probes the two link indexes row by row and stops after the page: 2 to 10 ms for
  the first pages of the biggest theme, but 80 ms for the 3% theme.
- LISTED: the matching findings' ids as one list (own links, then the findings of linked
  sources), loaded and sorted: 1 ms for a rare theme, 0.5 s for the 3% one.
"""

from django.core.cache import cache
from django.db.models import OuterRef, Q, Subquery
from django.db.models.lookups import IsNull

from apps.knowledge.models import FINDING_MODELS, Finding, Theme
from apps.sources.models import SourceTheme

HASHED, PROBED, LISTED = "hashed", "probed", "listed"
# Microseconds per row, from the measurements above: a row of the walk probed in both link
# indexes; a match put in the hashed lists, then a row of the walk checked against them; a
# match loaded through the links and sorted.
PROBED_ROW = 30
HASHED_MATCH, HASHED_ROW = 0.25, 3
LISTED_MATCH = 15
# cheapest_form() needs the table's size only roughly: it is counted once an hour, not after
# every change like the figures in apps/knowledge/cache.py (a second count of up to a
# million rows on the first request after each change).
TABLE_SIZE_SECONDS = 3600


def carries(model: type[Finding], themes: list[Theme], scope: str, form: str = HASHED) -> Q:
    """The finding (or, with scope "any", its source) is linked to one of `themes`."""
    links = model.theme_links.rel.related_model
    owner = model._meta.model_name
    on_finding = links.objects.filter(theme__in=themes)
    on_source = SourceTheme.objects.filter(theme__in=themes)
    if scope == "own":
        return Q(pk__in=on_finding.values(owner))
    if form == PROBED:
        own = on_finding.filter(**{owner: OuterRef("pk")}).order_by().values("pk")[:1]
        inherited = on_source.filter(source=OuterRef("source_id")).order_by().values("pk")[:1]
        return Q(IsNull(Subquery(own), False)) | Q(IsNull(Subquery(inherited), False))
    if form == LISTED:
        via_source = model.objects.filter(source__in=on_source.values("source"))
        listed = on_finding.order_by().values(owner)
        return Q(pk__in=listed.union(via_source.order_by().values("pk"), all=True))
    return Q(pk__in=on_finding.values(owner)) | Q(source_id__in=on_source.values("source"))


def cheapest_form(matches: int, total: int, rows: int) -> str:
    """The form for a page that reads the first `rows` of `matches` findings out of `total`:
    the walk along the sort's index passes about rows * total / matches of them."""
    walked = min(total, rows * total / matches) if matches else total
    costs = {
        HASHED: HASHED_MATCH * matches + HASHED_ROW * walked,
        PROBED: PROBED_ROW * walked,
        LISTED: LISTED_MATCH * matches,
    }
    return min(costs, key=costs.__getitem__)


def table_size(kind: str) -> int:
    """About how many findings of the kind there are (counted at most once an hour)."""
    key = f"spyglass:knowledge:table-size:{kind}"
    size = cache.get(key)
    if size is None:
        size = FINDING_MODELS[kind].objects.count()
        cache.set(key, size, TABLE_SIZE_SECONDS)
    return size
