"""Search: sources and findings together, ranked, one page at a time (pages and API)."""

from django.db import connection

from apps.search.backends import postgres, sqlite
from apps.search.highlight import Markers
from apps.search.query import ParsedQuery, parse
from apps.search.results import SearchResults

PAGE_SIZE = 20
# Results past this are not paged through: a search that finds more needs more words.
MAX_RESULTS = 1000
THEMES_SHOWN = 5
SIMILAR_SHOWN = 8
# Below this many results, names close to the words typed are offered ("did you mean").
FEW = 5


def _backend():
    return postgres if connection.vendor == "postgresql" else sqlite


def search(text: str | ParsedQuery, *, offset: int = 0, limit: int = PAGE_SIZE) -> SearchResults:
    """Sources and findings matching `text`, best first; SearchQueryError if it cannot be read.

    A few queries, whatever the page size: the page (with highlights, the sources' titles
    and, on PostgreSQL, the count), the count on SQLite, and the themes (and, when few results
    came back, source and finding names) close to the words typed.
    """
    query = text if isinstance(text, ParsedQuery) else parse(text)
    backend = _backend()
    offset = max(0, min(offset, MAX_RESULTS - limit))
    hits, total = backend.page(query, Markers.fresh(), offset, limit)
    if total < 0:  # a page past the end, or SQLite: count apart
        total = backend.count(query, MAX_RESULTS + 1)
    results = SearchResults(query, hits, total, offset, limit)
    shown = {(hit.kind, hit.id) for hit in hits}
    wanted = SIMILAR_SHOWN + len(shown) if total < FEW else 0
    results.themes, similar = backend.close_names(query, THEMES_SHOWN, wanted)
    results.similar = [item for item in similar if (item.kind, item.id) not in shown][
        :SIMILAR_SHOWN
    ]
    return results
