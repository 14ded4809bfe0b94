"""The search index's tables and triggers, per database (run by migrations/0001).

One row per source and per finding in `search_document`, kept current by triggers on the
tables it reads, so every write path (pages, API, import, restore, the pipeline, bulk
inserts, even raw SQL) leaves the index right without calling anything. A generated column
could not do it: a source's row includes its keywords, which live in another table.

Weights (docs/search.md): name/title A; description, summary and keywords B; a source's text
and a signal's change, outlook and driving force C; a source's link (as words) D.
"""

from apps.search.query import CONFIG

# Source text beyond this is left out of the index: a tsvector holds at most 1 MB, and a
# page's first 100,000 characters say what it is about.
BODY_LIMIT = 100_000
FINDING_TABLES = {
    "signals": "knowledge_signal",
    "behaviors": "knowledge_behavior",
    "technologies": "knowledge_technology",
    "issues": "knowledge_issue",
}
SIGNAL_EXTRA = ("change", "ten_year", "driving_force")
# SQLite rowids: object id * 8 + the kind's code, so a row is found without a scan.
CODES = {"sources": 0, "signals": 1, "behaviors": 2, "technologies": 3, "issues": 4, "themes": 5}


def _extra(kind: str, alias: str) -> str:
    """The C-weight text of a finding: the Signal fields, nothing for other kinds."""
    if kind != "signals":
        return "''"
    return " || ' ' || ".join(f"coalesce({alias}.{column}, '')" for column in SIGNAL_EXTRA)


# PostgreSQL ----------------------------------------------------------------------------


def _pg_tsv(text: str, weight: str) -> str:
    return f"setweight(to_tsvector('{CONFIG}'::regconfig, {text}), '{weight}')"


def _pg_source_vector(s: str) -> str:
    keywords = (
        "coalesce((SELECT string_agg(k.label, ' ') FROM sources_sourcekeyword k"
        f" WHERE k.source_id = {s}.id), '')"
    )
    link = f"regexp_replace(coalesce({s}.canonical_url, ''), '[^[:alnum:]]+', ' ', 'g')"
    return " || ".join(
        [
            _pg_tsv(f"coalesce({s}.title, '')", "A"),
            _pg_tsv(f"coalesce({s}.summary, '') || ' ' || {keywords}", "B"),
            _pg_tsv(f"left(coalesce({s}.extracted_text, ''), {BODY_LIMIT})", "C"),
            _pg_tsv(link, "D"),
        ]
    )


def _pg_finding_vector(kind: str, f: str) -> str:
    return " || ".join(
        [
            _pg_tsv(f"coalesce({f}.name, '')", "A"),
            _pg_tsv(f"coalesce({f}.description, '')", "B"),
            _pg_tsv(_extra(kind, f), "C"),
        ]
    )


def _pg_finding_statements(kind: str, table: str) -> list[str]:
    columns = ["name", "description", "source_id", *(SIGNAL_EXTRA if kind == "signals" else ())]
    insert = (
        "INSERT INTO search_document (kind, object_id, source_id, name, vector)"
        f" VALUES ('{kind}', NEW.id, NEW.source_id, NEW.name, {_pg_finding_vector(kind, 'NEW')});"
    )
    return [
        f"""CREATE FUNCTION search_{kind}_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM search_document WHERE kind = '{kind}' AND object_id = OLD.id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {insert}
  END IF;
  RETURN NULL;
END $$""",
        f"""CREATE TRIGGER search_{kind} AFTER INSERT OR DELETE OR UPDATE OF {", ".join(columns)}
ON {table} FOR EACH ROW EXECUTE FUNCTION search_{kind}_changed()""",
        "INSERT INTO search_document (kind, object_id, source_id, name, vector)"
        f" SELECT '{kind}', f.id, f.source_id, f.name, {_pg_finding_vector(kind, 'f')}"
        f" FROM {table} f",
    ]


SOURCE_COLUMNS = ("title", "summary", "extracted_text", "canonical_url")


def _changed(columns) -> str:
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)


def postgresql_forward() -> list[str]:
    source_insert = (
        "INSERT INTO search_document (kind, object_id, source_id, name, vector)"
        f" SELECT 'sources', s.id, s.id, s.title, {_pg_source_vector('s')} FROM sources_source s"
    )
    keyword_refresh = (
        "PERFORM search_refresh_source(x.source_id)"
        " FROM (SELECT DISTINCT source_id FROM {table}) x;"
    )
    statements = [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        """CREATE TABLE search_document (
  id bigserial PRIMARY KEY,
  kind varchar(12) NOT NULL,
  object_id bigint NOT NULL,
  source_id bigint NOT NULL,
  name text NOT NULL,
  vector tsvector NOT NULL,
  CONSTRAINT search_document_unique UNIQUE (kind, object_id)
)""",
        f"""CREATE FUNCTION search_refresh_source(sid bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_document WHERE kind = 'sources' AND object_id = sid;
  {source_insert} WHERE s.id = sid;
END $$""",
        """CREATE FUNCTION search_sources_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM search_document WHERE kind = 'sources' AND object_id = OLD.id;
  ELSE
    PERFORM search_refresh_source(NEW.id);
  END IF;
  RETURN NULL;
END $$""",
        """CREATE TRIGGER search_sources AFTER INSERT OR DELETE ON sources_source
FOR EACH ROW EXECUTE FUNCTION search_sources_changed()""",
        # Pipeline saves touch a source many times; only a change of indexed text re-indexes.
        f"""CREATE TRIGGER search_sources_update AFTER UPDATE ON sources_source
FOR EACH ROW WHEN ({_changed(SOURCE_COLUMNS)}) EXECUTE FUNCTION search_sources_changed()""",
        # Keywords arrive in bulk (one INSERT per import): one refresh per source, not per row.
        f"""CREATE FUNCTION search_keywords_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {keyword_refresh.format(table="added")}
  RETURN NULL;
END $$""",
        f"""CREATE FUNCTION search_keywords_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {keyword_refresh.format(table="removed")}
  RETURN NULL;
END $$""",
        """CREATE TRIGGER search_keywords_insert AFTER INSERT ON sources_sourcekeyword
REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION search_keywords_added()""",
        """CREATE TRIGGER search_keywords_delete AFTER DELETE ON sources_sourcekeyword
REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION search_keywords_removed()""",
        """CREATE TRIGGER search_keywords_update_old AFTER UPDATE ON sources_sourcekeyword
REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION search_keywords_removed()""",
        """CREATE TRIGGER search_keywords_update_new AFTER UPDATE ON sources_sourcekeyword
REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION search_keywords_added()""",
        source_insert,
    ]
    for kind, table in FINDING_TABLES.items():
        statements += _pg_finding_statements(kind, table)
    statements += _pg_truncate_statements()
    statements += [
        "CREATE INDEX search_document_vector ON search_document USING gin (vector)",
        "CREATE INDEX search_document_name_trgm ON search_document USING gin (name gin_trgm_ops)",
        "CREATE INDEX search_theme_name_trgm ON knowledge_theme USING gin (name gin_trgm_ops)",
    ]
    return statements


def _pg_truncate_statements() -> list[str]:
    """TRUNCATE fires no row triggers (Django's flush uses it): empty the kind's rows too."""
    tables = {"sources": "sources_source", **FINDING_TABLES}
    statements = [
        """CREATE FUNCTION search_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_document WHERE kind = TG_ARGV[0];
  RETURN NULL;
END $$""",
        """CREATE FUNCTION search_keywords_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_refresh_source(s.id) FROM sources_source s;
  RETURN NULL;
END $$""",
        """CREATE TRIGGER search_keywords_truncate AFTER TRUNCATE ON sources_sourcekeyword
FOR EACH STATEMENT EXECUTE FUNCTION search_keywords_truncated()""",
    ]
    for kind, table in tables.items():
        statements.append(
            f"CREATE TRIGGER search_{kind}_truncate AFTER TRUNCATE ON {table}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION search_truncated('{kind}')"
        )
    return statements


def postgresql_backward() -> list[str]:
    statements = [
        "DROP INDEX IF EXISTS search_theme_name_trgm",
        "DROP TRIGGER IF EXISTS search_sources ON sources_source",
        "DROP TRIGGER IF EXISTS search_sources_update ON sources_source",
    ]
    for kind, table in {"sources": "sources_source", **FINDING_TABLES}.items():
        statements.append(f"DROP TRIGGER IF EXISTS search_{kind}_truncate ON {table}")
    for name in ("insert", "delete", "update_old", "update_new", "truncate"):
        statements.append(f"DROP TRIGGER IF EXISTS search_keywords_{name} ON sources_sourcekeyword")
    for kind, table in FINDING_TABLES.items():
        statements.append(f"DROP TRIGGER IF EXISTS search_{kind} ON {table}")
        statements.append(f"DROP FUNCTION IF EXISTS search_{kind}_changed()")
    functions = ("sources_changed()", "keywords_added()", "keywords_removed()")
    for function in (*functions, "truncated()", "keywords_truncated()"):
        statements.append(f"DROP FUNCTION IF EXISTS search_{function}")
    statements += [
        "DROP FUNCTION IF EXISTS search_refresh_source(bigint)",
        "DROP TABLE IF EXISTS search_document",
    ]
    return statements


# SQLite --------------------------------------------------------------------------------
# Two FTS5 tables: the documents (porter stemming, like PostgreSQL's english configuration),
# and the names again cut in trigrams, for "did you mean" on misspelt names. FTS5 has no
# unique key: a row's rowid is its object's id * 8 + the kind's code (CODES), so a trigger
# finds the row to replace without a scan.


def _lite_source_inserts(where: str) -> list[str]:
    keywords = (
        "coalesce((SELECT group_concat(k.label, ' ') FROM sources_sourcekeyword k"
        " WHERE k.source_id = s.id), '')"
    )
    return [
        f"""INSERT INTO search_document (rowid, kind, object_id, source_id, name, summary, body)
    SELECT s.id * 8, 'sources', s.id, s.id, coalesce(s.title, ''),
      coalesce(s.summary, '') || ' ' || {keywords},
      substr(coalesce(s.extracted_text, ''), 1, {BODY_LIMIT})
        || ' ' || coalesce(s.canonical_url, '')
    FROM sources_source s {where}""",
        "INSERT INTO search_names (rowid, kind, object_id, source_id, name)"
        f" SELECT s.id * 8, 'sources', s.id, s.id, s.title FROM sources_source s {where}",
    ]


def _lite_delete(rowid: str) -> list[str]:
    return [
        f"DELETE FROM search_document WHERE rowid = {rowid}",
        f"DELETE FROM search_names WHERE rowid = {rowid}",
    ]


def _lite_source_refresh(sid: str) -> list[str]:
    """Re-index the source `sid`, or only drop its rows if it is gone."""
    return _lite_delete(f"({sid}) * 8") + _lite_source_inserts(f"WHERE s.id = {sid}")


def _lite_finding_inserts(kind: str, table: str, where: str) -> list[str]:
    code = CODES[kind]
    return [
        f"""INSERT INTO search_document (rowid, kind, object_id, source_id, name, summary, body)
    SELECT f.id * 8 + {code}, '{kind}', f.id, f.source_id, coalesce(f.name, ''),
      coalesce(f.description, ''), {_extra(kind, "f")} FROM {table} f {where}""",
        "INSERT INTO search_names (rowid, kind, object_id, source_id, name)"
        f" SELECT f.id * 8 + {code}, '{kind}', f.id, f.source_id, f.name FROM {table} f {where}",
    ]


def _theme_inserts(where: str) -> list[str]:
    return [
        "INSERT INTO search_names (rowid, kind, object_id, source_id, name)"
        f" SELECT t.id * 8 + 5, 'themes', t.id, 0, t.name FROM knowledge_theme t {where}"
    ]


def _trigger(name: str, event: str, table: str, body: list[str], when: str = "") -> str:
    condition = f" WHEN {when}" if when else ""
    statements = "".join(f"  {statement};\n" for statement in body)
    return f"CREATE TRIGGER {name} AFTER {event} ON {table}{condition} BEGIN\n{statements}END"


def _lite_finding_statements(kind: str, table: str) -> list[str]:
    code = CODES[kind]
    delete = _lite_delete(f"OLD.id * 8 + {code}")
    insert = _lite_finding_inserts(kind, table, "WHERE f.id = NEW.id")
    columns = ["name", "description", "source_id", *(SIGNAL_EXTRA if kind == "signals" else ())]
    return [
        _trigger(f"search_{kind}_insert", "INSERT", table, insert),
        _trigger(f"search_{kind}_delete", "DELETE", table, delete),
        _trigger(
            f"search_{kind}_update", f"UPDATE OF {', '.join(columns)}", table, delete + insert
        ),
        *_lite_finding_inserts(kind, table, ""),
    ]


def sqlite_forward() -> list[str]:
    changed = "(" + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in SOURCE_COLUMNS) + ")"
    keywords = "sources_sourcekeyword"
    theme = "WHERE t.id = NEW.id"
    statements = [
        """CREATE VIRTUAL TABLE search_document USING fts5(
  kind UNINDEXED, object_id UNINDEXED, source_id UNINDEXED, name, summary, body,
  tokenize = 'porter unicode61 remove_diacritics 2')""",
        """CREATE VIRTUAL TABLE search_names USING fts5(
  kind UNINDEXED, object_id UNINDEXED, source_id UNINDEXED, name, tokenize = 'trigram')""",
        _trigger(
            "search_sources_insert", "INSERT", "sources_source", _lite_source_refresh("NEW.id")
        ),
        _trigger(
            "search_sources_update",
            "UPDATE",
            "sources_source",
            _lite_source_refresh("NEW.id"),
            changed,
        ),
        _trigger("search_sources_delete", "DELETE", "sources_source", _lite_delete("OLD.id * 8")),
        _trigger(
            "search_keywords_insert", "INSERT", keywords, _lite_source_refresh("NEW.source_id")
        ),
        _trigger(
            "search_keywords_delete", "DELETE", keywords, _lite_source_refresh("OLD.source_id")
        ),
        _trigger(
            "search_keywords_update",
            "UPDATE",
            keywords,
            _lite_source_refresh("OLD.source_id") + _lite_source_refresh("NEW.source_id"),
        ),
        _trigger("search_themes_insert", "INSERT", "knowledge_theme", _theme_inserts(theme)),
        _trigger(
            "search_themes_update",
            "UPDATE OF name",
            "knowledge_theme",
            ["DELETE FROM search_names WHERE rowid = OLD.id * 8 + 5", *_theme_inserts(theme)],
        ),
        _trigger(
            "search_themes_delete",
            "DELETE",
            "knowledge_theme",
            ["DELETE FROM search_names WHERE rowid = OLD.id * 8 + 5"],
        ),
        *_theme_inserts(""),
        *_lite_source_inserts(""),
    ]
    for kind, table in FINDING_TABLES.items():
        statements += _lite_finding_statements(kind, table)
    return statements


def sqlite_backward() -> list[str]:
    names = ["search_sources_insert", "search_sources_update", "search_sources_delete"]
    names += ["search_keywords_insert", "search_keywords_delete", "search_keywords_update"]
    names += ["search_themes_insert", "search_themes_update", "search_themes_delete"]
    for kind in FINDING_TABLES:
        names += [f"search_{kind}_insert", f"search_{kind}_delete", f"search_{kind}_update"]
    statements = [f"DROP TRIGGER IF EXISTS {name}" for name in names]
    tables = ["DROP TABLE IF EXISTS search_names", "DROP TABLE IF EXISTS search_document"]
    return [*statements, *tables]
