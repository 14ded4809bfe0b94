"""Search: sources and findings together, ranked, one page at a time (pages and API)."""

from django.db import connection

from apps.search import spelling
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


def search(
    text: str | ParsedQuery, *, offset: int = 0, limit: int = PAGE_SIZE, as_typed: bool = False
) -> SearchResults:
    """Sources and findings matching `text`, best first; SearchQueryError if it cannot be read.

    When few results come back and a word looks misspelt, the corrected words are searched
    too, and their results shown if there are more (`corrected_from` says what was typed);
    `as_typed` turns that off. A few queries, whatever the page size: the page (with
    highlights, the sources' titles and, on PostgreSQL, the count), the count on SQLite, the
    close words and the corrected page when there are few results, and the themes (and, when
    few results came back, source and finding names) close to the words.
    """
    query = text if isinstance(text, ParsedQuery) else parse(text)
    backend = _backend()
    offset = max(0, min(offset, MAX_RESULTS - limit))
    hits, total = _page(backend, query, offset, limit)
    typed, looked_up = "", False
    if total < FEW and not as_typed:
        looked_up = True
        fixed = spelling.corrected(query, backend.word_candidates)
        if fixed is not None:
            fixed_hits, fixed_total = _page(backend, fixed, offset, limit)
            if fixed_total > total:
                typed, query, hits, total = query.text, fixed, fixed_hits, fixed_total
    results = SearchResults(query, hits, total, offset, limit, corrected_from=typed)
    shown = {(hit.kind, hit.id) for hit in hits}
    wanted = SIMILAR_SHOWN + len(shown) if total < FEW else 0
    results.themes, similar = backend.close_names(
        query, THEMES_SHOWN, wanted, threshold_set=looked_up
    )
    results.similar = [item for item in similar if (item.kind, item.id) not in shown][
        :SIMILAR_SHOWN
    ]
    return results


def _page(backend, query: ParsedQuery, offset: int, limit: int) -> tuple[list, int]:
    hits, total = backend.page(query, Markers.fresh(), offset, limit)
    if total < 0 and not hits and offset == 0:
        total = 0  # an empty first page: nothing to count
    elif total < 0:  # a page past the end, or SQLite: count apart
        total = backend.count(query, MAX_RESULTS + 1)
    return hits, min(total, MAX_RESULTS + 1)  # the same on both databases
