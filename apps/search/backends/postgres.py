"""PostgreSQL: ts_rank over the weighted tsvector, ts_headline snippets, pg_trgm names."""

from django.db import connection
from django.urls import reverse

from apps.search.highlight import Markers
from apps.search.index_sql import FINDING_TABLES, SIGNAL_EXTRA
from apps.search.query import CONFIG, ParsedQuery
from apps.search.results import Hit, Similar, item_url

# ts_headline reads the whole text it is given: a source's snippet comes from its summary
# and the first 20,000 characters of its text, so a page of results stays fast.
SNIPPET_TEXT = 20_000
# At most this many matches are ranked: the most recently indexed (added or changed) ones.
# Ranking reads each match's whole vector, and a word found in a tenth of a million-row base
# took 0.7 s to rank in full; the newest few thousand take a few milliseconds to find and
# rank. Past MAX_RESULTS (1,000) nothing is paged through anyway (docs/search.md).
RANKED = 2000


def _finding_body(alias: str, kind: str) -> str:
    parts = [f"{alias}.description", *(f"{alias}.{c}" for c in SIGNAL_EXTRA if kind == "signals")]
    return " || ' ' || ".join(parts)


def _page_sql() -> str:
    aliases = {kind: f"f{n}" for n, kind in enumerate(FINDING_TABLES)}
    names = ", ".join(f"{alias}.name" for alias in aliases.values())
    bodies = " ".join(
        f"WHEN '{kind}' THEN {_finding_body(alias, kind)}" for kind, alias in aliases.items()
    )
    joins = " ".join(
        f"LEFT JOIN {FINDING_TABLES[kind]} {alias}"
        f" ON h.kind = '{kind}' AND {alias}.id = h.object_id"
        for kind, alias in aliases.items()
    )
    # The query is written out where it is used, not read from a CTE, so the planner sees the
    # words and estimates how many rows match: that chooses between walking the newest rows
    # (a common word) and the GIN index (a rare one) for the candidates.
    tsquery = f"websearch_to_tsquery('{CONFIG}', %(q)s)"
    # The page is chosen first (LIMIT in the CTE): headlines are built for its rows only.
    return f"""
WITH candidates AS (
  SELECT d.id FROM search_document d WHERE d.vector @@ {tsquery}
  ORDER BY d.id DESC LIMIT %(ranked)s
),
hits AS (
  SELECT d.kind, d.object_id, d.source_id, ts_rank(d.vector, {tsquery}) AS rank,
         count(*) OVER () AS total
  FROM candidates c JOIN search_document d ON d.id = c.id
  ORDER BY rank DESC, d.kind, d.object_id LIMIT %(limit)s OFFSET %(offset)s
)
SELECT h.kind, h.object_id, h.source_id, h.rank, h.total,
  ts_headline('{CONFIG}', coalesce(s.title, {names}, ''), {tsquery}, %(title_options)s),
  ts_headline('{CONFIG}', coalesce(CASE h.kind
      WHEN 'sources' THEN s.summary || ' ' || left(s.extracted_text, {SNIPPET_TEXT}) {bodies}
    END, ''), {tsquery}, %(body_options)s),
  src.title, src.canonical_url
FROM hits h
LEFT JOIN sources_source s ON h.kind = 'sources' AND s.id = h.object_id
{joins}
LEFT JOIN sources_source src ON src.id = h.source_id
ORDER BY h.rank DESC, h.kind, h.object_id"""


PAGE_SQL = _page_sql()


def page(query: ParsedQuery, markers: Markers, offset: int, limit: int) -> tuple[list[Hit], int]:
    """One page of hits, best first, and how many there are in all (-1: page past the end)."""
    selectors = f"StartSel={markers.start}, StopSel={markers.stop}"
    title_options = f"HighlightAll=true, {selectors}"
    body_options = f'MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … ", {selectors}'
    params = {
        "q": query.websearch,
        "ranked": RANKED,
        "limit": limit,
        "offset": offset,
        "title_options": title_options,
        "body_options": body_options,
    }
    with connection.cursor() as cursor:
        cursor.execute(PAGE_SQL, params)
        rows = cursor.fetchall()
    hits = [
        Hit(
            kind=kind,
            id=object_id,
            source_id=source_id,
            rank=rank,
            title_html=markers.html(title),
            snippet_html=markers.html(snippet),
            source_title=(source_url if kind == "sources" else source_title or source_url) or "",
        )
        for kind, object_id, source_id, rank, _, title, snippet, source_title, source_url in rows
    ]
    return hits, (rows[0][4] if rows else -1)


def count(query: ParsedQuery, cap: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM search_document"
            f" WHERE vector @@ websearch_to_tsquery('{CONFIG}', %s) LIMIT %s) t",
            [query.websearch, cap],
        )
        return cursor.fetchone()[0]


# pg_trgm's default (0.6) misses a dropped letter in a short word ("climte" is 0.57 of
# "Climate adaptation"); 0.5 still keeps unrelated names out.
WORD_SIMILARITY = "0.5"

CLOSE_SQL = """
(SELECT 'themes' AS kind, id, 0 AS source_id, name, slug, word_similarity(%s, name) AS score
 FROM knowledge_theme WHERE status = 'approved' AND %s <%% name
 ORDER BY score DESC, name LIMIT %s)
UNION ALL
(SELECT kind, object_id, source_id, name, '', word_similarity(%s, name) AS score
 FROM search_document WHERE %s <%% name
 ORDER BY score DESC, kind, object_id LIMIT %s)"""


# The lexicon's words sharing trigrams with each typed word (pg_trgm's `%` at its default
# similarity, 0.3), best first. The same statement sets the word-similarity threshold that
# close_names' `<%` reads, which spares that query a round trip of its own.
WORDS_SQL = """
SELECT set_config('pg_trgm.word_similarity_threshold', %s, false),
  (SELECT coalesce(json_object_agg(typed, (
     SELECT coalesce(json_agg(w.word), '[]') FROM (
       SELECT word FROM search_word WHERE word %% typed
       ORDER BY similarity(word, typed) DESC, word LIMIT %s) w)), '{}')
   FROM unnest(%s::text[]) typed)"""
WORD_CANDIDATES = 20


def word_candidates(words: list[str]) -> dict[str, list[str]]:
    """For each word, the lexicon's words close to it (apps/search/spelling.py)."""
    with connection.cursor() as cursor:
        cursor.execute(WORDS_SQL, [WORD_SIMILARITY, WORD_CANDIDATES, words])
        found = cursor.fetchone()[1]
    return found if isinstance(found, dict) else {}


def close_names(
    query: ParsedQuery, themes: int, names: int, *, threshold_set: bool = False
) -> tuple[list[Similar], list[Similar]]:
    """Approved themes, and source and finding names, close to the words typed (pg_trgm).

    `threshold_set`: word_candidates ran in this request and set the threshold already."""
    text = " ".join(query.words)
    with connection.cursor() as cursor:
        if not threshold_set:  # per session, and only our queries use the operator
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                [WORD_SIMILARITY],
            )
        cursor.execute(CLOSE_SQL, [text, text, themes, text, text, names])
        rows = cursor.fetchall()
    found_themes, found_names = [], []
    for kind, pk, source_id, name, slug, score in rows:
        if kind == "themes":
            url = reverse("knowledge:theme", args=[slug])
            found_themes.append(Similar(kind, pk, name, url, score))
        else:
            found_names.append(Similar(kind, pk, name, item_url(kind, pk, source_id), score))
    return found_themes, found_names
