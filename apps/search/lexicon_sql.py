"""The lexicon: every word of the base's names, for putting misspelt words right (PostgreSQL).

`search_word` holds each distinct lower-case word of three letters or more found in a source's
title, a finding's name or a theme's name, with a trigram index, so the words close to a typed
one are found among tens of thousands of words, not among millions of names
(apps/search/spelling.py). Triggers add the words of every new or renamed name; a word whose
last name is gone stays (a correction to it finds nothing and is not shown), which keeps
writes cheap. `manage.py search_lexicon --rebuild` would be the place to prune; nothing
needs it yet.

SQLite has no such table: its backend draws the candidates from the names' trigram table
(apps/search/backends/sqlite.py), which is fast enough at the sizes SQLite serves.
"""

WORDS = (
    "SELECT DISTINCT w FROM regexp_split_to_table(lower({name}), '[^[:alnum:]]+') w"
    " WHERE length(w) >= 3"
)


def _add(name: str) -> str:
    return f"INSERT INTO search_word (word) {WORDS.format(name=name)} ON CONFLICT DO NOTHING"


def postgresql_forward() -> list[str]:
    return [
        "CREATE TABLE search_word (word text PRIMARY KEY)",
        f"""CREATE FUNCTION search_word_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {_add("NEW.name")};
  RETURN NULL;
END $$""",
        """CREATE TRIGGER search_word_document AFTER INSERT ON search_document
FOR EACH ROW EXECUTE FUNCTION search_word_added()""",
        """CREATE TRIGGER search_word_theme AFTER INSERT OR UPDATE OF name ON knowledge_theme
FOR EACH ROW EXECUTE FUNCTION search_word_added()""",
        "INSERT INTO search_word (word) SELECT DISTINCT w FROM ("
        "SELECT name FROM search_document UNION ALL SELECT name FROM knowledge_theme) n,"
        " regexp_split_to_table(lower(n.name), '[^[:alnum:]]+') w WHERE length(w) >= 3",
        "CREATE INDEX search_word_trgm ON search_word USING gin (word gin_trgm_ops)",
    ]


def postgresql_backward() -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS search_word_theme ON knowledge_theme",
        "DROP TRIGGER IF EXISTS search_word_document ON search_document",
        "DROP FUNCTION IF EXISTS search_word_added()",
        "DROP TABLE IF EXISTS search_word",
    ]
