"""The search syntax (quotes, OR, -minus), parsed once and written for each database.

PostgreSQL reads it with `websearch_to_tsquery`, SQLite's FTS5 with its own syntax. Both get
a string rebuilt from the parsed words, never the user's text, so no input can raise a
syntax error: every word is a run of letters and digits, quoted for FTS5.

This module imports no other app, so the explorer and the sources list (which sit below
the search app) can filter through the same index.
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models.expressions import RawSQL

MAX_LENGTH = 500
MAX_TERMS = 32
# The text search configuration of the index (apps/search/index_sql.py) and of every query.
CONFIG = "english"

# A quoted phrase (the closing quote may be missing), or a run of non-space characters.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


class SearchQueryError(ValueError):
    """The text cannot be searched; the message says why, in a user's words."""


Term = tuple[str, ...]  # one word, or the words of a phrase


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    clauses: tuple[tuple[Term, ...], ...]  # all must match; each is one term OR another
    excluded: tuple[Term, ...] = field(default=())

    @property
    def words(self) -> list[str]:
        """The words looked for (not those left out), for similar-name suggestions."""
        return [word for clause in self.clauses for term in clause for word in term]

    @property
    def websearch(self) -> str:
        """The query as PostgreSQL's websearch_to_tsquery reads it."""

        def term(words: Term) -> str:
            return f'"{" ".join(words)}"'

        positive = " ".join(" OR ".join(term(t) for t in clause) for clause in self.clauses)
        negative = " ".join(f"-{term(t)}" for t in self.excluded)
        return f"{positive} {negative}".strip()

    @property
    def tsquery_prefix(self) -> str:
        """For to_tsquery: as `websearch`, but a lone word also matches words it begins."""

        def term(words: Term) -> str:
            if len(words) == 1:
                return f"'{words[0]}':*"
            return "(" + " <-> ".join(f"'{word}'" for word in words) + ")"

        def any_of(terms) -> str:
            return "(" + " | ".join(term(t) for t in terms) + ")"

        expression = " & ".join(any_of(clause) for clause in self.clauses)
        if self.excluded:
            expression += " & !" + any_of(self.excluded)
        return expression

    @property
    def fts5(self) -> str:
        """The query as SQLite's FTS5 MATCH reads it: every term a quoted phrase."""
        return self._fts5(prefix=False)

    @property
    def fts5_prefix(self) -> str:
        """As `fts5`, but a lone word also matches words it begins."""
        return self._fts5(prefix=True)

    def _fts5(self, prefix: bool) -> str:
        def term(words: Term) -> str:
            quoted = '"' + " ".join(words).replace('"', '""') + '"'
            return quoted + "*" if prefix and len(words) == 1 else quoted

        def any_of(terms) -> str:
            return "(" + " OR ".join(term(t) for t in terms) + ")"

        expression = " AND ".join(any_of(clause) for clause in self.clauses)
        if self.excluded:
            expression += " NOT " + any_of(self.excluded)
        return expression


def parse(text: str) -> ParsedQuery:
    """The query in `text`, or SearchQueryError saying what is wrong with it."""
    text = (text or "").strip()
    if "\x00" in text:
        raise SearchQueryError("a search cannot contain NUL characters.")
    if len(text) > MAX_LENGTH:
        raise SearchQueryError(
            f"a search can be at most {MAX_LENGTH} characters long (this one has {len(text)})."
        )
    if not text:
        raise SearchQueryError("type a word to search for.")
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    either = False
    for match in _TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            either = bool(clauses)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            minus, bare = "-", bare[1:]
        words = tuple(w.lower() for w in _WORD.findall(phrase if bare is None else bare))
        if not words:
            continue  # punctuation only ("*", a lone quote, "--"): nothing to look for
        if minus:
            excluded.append(words)
        elif either:
            clauses[-1].append(words)
        else:
            clauses.append([words])
        either = False
    if sum(len(c) for c in clauses) + len(excluded) > MAX_TERMS:
        raise SearchQueryError(f"a search can hold at most {MAX_TERMS} words or phrases.")
    if not clauses:
        if excluded:
            raise SearchQueryError(
                "give at least one word to look for, not only words to leave out."
            )
        raise SearchQueryError(f"“{text[:60]}” has no words to search for.")
    return ParsedQuery(text, tuple(tuple(c) for c in clauses), tuple(excluded))


def matching_ids(kind: str, query: ParsedQuery) -> RawSQL:
    """The ids of the `kind` rows ("sources", "signals"...) whose indexed text matches.

    For the list filters (the explorer, the sources list), which filter as the user types:
    each lone word also matches longer words it begins ("sol" finds "solar"), as the
    substring search they replace did.
    """
    if connection.vendor == "postgresql":
        return RawSQL(
            "SELECT object_id FROM search_document WHERE kind = %s"
            f" AND vector @@ to_tsquery('{CONFIG}', %s)",
            [kind, query.tsquery_prefix],
        )
    return RawSQL(
        "SELECT object_id FROM search_document WHERE search_document MATCH %s AND kind = %s",
        [query.fts5_prefix, kind],
    )
