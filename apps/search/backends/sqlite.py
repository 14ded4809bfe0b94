"""SQLite: FTS5 with bm25 ranking and snippet(); trigram FTS5 for misspelt names."""

import re

from django.db import connection
from django.urls import reverse

from apps.knowledge.models import Theme
from apps.search.highlight import Markers
from apps.search.query import ParsedQuery
from apps.search.results import Hit, Similar, item_url

# bm25 weights per column (kind, object_id, source_id, name, summary, body), in the ratios
# of PostgreSQL's ts_rank weights for A, B and C (1.0, 0.4, 0.2).
WEIGHTS = "0.0, 0.0, 0.0, 10.0, 4.0, 2.0"
# As pg_trgm's default word_similarity_threshold: share 60% of the typed word's trigrams.
SIMILARITY = 0.6
CANDIDATES = 200

PAGE_SQL = f"""
SELECT h.kind, h.object_id, h.source_id, h.rank, h.title, h.summary, h.body,
       src.title, src.canonical_url
FROM (
  SELECT kind, object_id, source_id, -bm25(search_document, {WEIGHTS}) AS rank,
         highlight(search_document, 3, %s, %s) AS title,
         snippet(search_document, 4, %s, %s, ' … ', 24) AS summary,
         snippet(search_document, 5, %s, %s, ' … ', 24) AS body
  FROM search_document WHERE search_document MATCH %s
  ORDER BY rank DESC, rowid LIMIT %s OFFSET %s
) h LEFT JOIN sources_source src ON src.id = h.source_id
ORDER BY h.rank DESC, h.kind, h.object_id"""


def _snippet(markers: Markers, summary: str | None, body: str | None) -> str | None:
    """The snippet of the column where a word matched; the summary when none did."""
    if markers.found_in(summary) or (not markers.found_in(body) and (summary or "").strip()):
        return summary
    return body


def page(query: ParsedQuery, markers: Markers, offset: int, limit: int) -> tuple[list[Hit], int]:
    """One page of hits, best first; the total is unknown (-1): FTS5's ranking functions
    cannot run beside a window function, so count() asks separately."""
    marks = [markers.start, markers.stop] * 3
    with connection.cursor() as cursor:
        cursor.execute(PAGE_SQL, [*marks, query.fts5, limit, offset])
        rows = cursor.fetchall()
    hits = []
    for kind, object_id, source_id, rank, title, summary, body, source, link in rows:
        hits.append(
            Hit(
                kind=kind,
                id=object_id,
                source_id=source_id,
                rank=rank,
                title_html=markers.html(title),
                snippet_html=markers.html(_snippet(markers, summary, body)),
                source_title=(link if kind == "sources" else source or link) or "",
            )
        )
    return hits, -1


def count(query: ParsedQuery, cap: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM search_document"
            " WHERE search_document MATCH %s LIMIT %s)",
            [query.fts5, cap],
        )
        return cursor.fetchone()[0]


def _trigrams(text: str, padded: bool) -> set[str]:
    """pg_trgm's trigrams (each word padded by two spaces before, one after) or inner ones."""
    found: set[str] = set()
    for word in re.findall(r"\w+", text.lower()):
        word = f"  {word} " if padded else word
        found.update(word[i : i + 3] for i in range(len(word) - 2))
    return found


def _score(typed: set[str], name: str) -> float:
    return len(typed & _trigrams(name, padded=True)) / len(typed) if typed else 0.0


def _candidates(query: ParsedQuery, themes: bool, limit: int) -> list[tuple]:
    inner = _trigrams(" ".join(query.words), padded=False)
    if not inner:
        return []
    match = " OR ".join(f'"{trigram}"' for trigram in sorted(inner))
    kind = "kind = 'themes'" if themes else "kind != 'themes'"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, object_id, source_id, name FROM search_names"
            f" WHERE search_names MATCH %s AND {kind} ORDER BY bm25(search_names), rowid LIMIT %s",
            [match, CANDIDATES],
        )
        rows = cursor.fetchall()
    typed = _trigrams(" ".join(query.words), padded=True)
    scored = [(_score(typed, row[3]), row) for row in rows]
    scored = [item for item in scored if item[0] >= SIMILARITY]
    scored.sort(key=lambda item: (-item[0], item[1][0], item[1][1]))
    return scored[:limit]


def word_candidates(words: list[str]) -> dict[str, list[str]]:
    """For each word, the words of the names sharing most of its trigrams (apps/search/
    spelling.py). SQLite keeps no lexicon: the trigram table of names gives the candidates."""
    found = {}
    with connection.cursor() as cursor:
        for word in words:
            inner = _trigrams(word, padded=False)
            match = " OR ".join(f'"{trigram}"' for trigram in sorted(inner))
            cursor.execute(
                "SELECT name FROM search_names WHERE search_names MATCH %s"
                " ORDER BY bm25(search_names), rowid LIMIT %s",
                [match, CANDIDATES],
            )
            names = " ".join(row[0] for row in cursor.fetchall())
            found[word] = sorted(set(re.findall(r"\w{3,}", names.lower())))
    return found


def close_names(
    query: ParsedQuery, themes: int, names: int, *, threshold_set: bool = False
) -> tuple[list[Similar], list[Similar]]:
    """Approved themes, and source and finding names, sharing most of the typed trigrams."""
    found_names = (
        [
            Similar(kind, pk, name, item_url(kind, pk, source_id), score)
            for score, (kind, pk, source_id, name) in _candidates(query, themes=False, limit=names)
        ]
        if names
        else []
    )
    scored = _candidates(query, themes=True, limit=themes * 3)
    approved = Theme.objects.filter(
        pk__in=[row[1] for _, row in scored], status=Theme.Status.APPROVED
    ).in_bulk()
    found_themes = [
        Similar(
            "themes",
            pk,
            approved[pk].name,
            reverse("knowledge:theme", args=[approved[pk].slug]),
            score,
        )
        for score, (_, pk, _, _) in scored
        if pk in approved
    ]
    return found_themes[:themes], found_names
