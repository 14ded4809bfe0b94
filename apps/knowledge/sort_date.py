"""SQL for migration knowledge 0007: the findings' copied sort date, the explorer's sort indexes.

`sort_date` is the finding's source's date (publication, else the UTC day it was
submitted: the rule of apps/records/findings_export.py). Triggers keep it, so every way of
writing rows (services, imports, restores, bulk loads) gets it without remembering to:
a finding takes its source's date when it is inserted or moved, and a source's new date is
copied to its findings. PostgreSQL and SQLite spell triggers differently, hence two sets.
"""

TABLES = ("knowledge_signal", "knowledge_behavior", "knowledge_technology", "knowledge_issue")

# (name suffix, columns): the explorer's sorts (apps/knowledge/explorer.py _ordering).
# The ascending relevancy and date sorts are rarer and left to a top-N sort.
SORT_INDEXES = {
    "postgresql": (
        ("rel", '"relevancy" DESC NULLS LAST, "sort_date" DESC, "source_id", "position", "id"'),
        ("date", '"sort_date" DESC NULLS LAST, "name", "source_id", "position", "id"'),
        ("name", '"name", "sort_date" DESC, "source_id", "position", "id"'),
    ),
    # SQLite puts NULL first ascending, last descending: DESC is already NULLS LAST.
    "sqlite": (
        ("rel", '"relevancy" DESC, "sort_date" DESC, "source_id", "position", "id"'),
        ("date", '"sort_date" DESC, "name", "source_id", "position", "id"'),
        ("name", '"name", "sort_date" DESC, "source_id", "position", "id"'),
    ),
}

PG_SOURCE_DATE = "COALESCE({row}.published_on, ({row}.submitted_at AT TIME ZONE 'UTC')::date)"
SQLITE_SOURCE_DATE = "COALESCE({row}.published_on, date({row}.submitted_at))"


def _postgresql() -> list[str]:
    statements = [
        f"""CREATE OR REPLACE FUNCTION knowledge_finding_sort_date() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            SELECT {PG_SOURCE_DATE.format(row="s")} INTO NEW.sort_date
            FROM sources_source s WHERE s.id = NEW.source_id;
            RETURN NEW;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION sources_source_sort_date() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE day date := {PG_SOURCE_DATE.format(row="NEW")};
        BEGIN
            {" ".join(f"UPDATE {t} SET sort_date = day WHERE source_id = NEW.id;" for t in TABLES)}
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER sources_source_sort_date
        AFTER UPDATE OF published_on, submitted_at ON sources_source FOR EACH ROW
        WHEN (OLD.published_on IS DISTINCT FROM NEW.published_on
              OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at)
        EXECUTE FUNCTION sources_source_sort_date()""",
    ]
    for table in TABLES:
        statements += [
            f"""CREATE TRIGGER {table}_sort_date
            BEFORE INSERT OR UPDATE OF source_id, sort_date ON {table} FOR EACH ROW
            EXECUTE FUNCTION knowledge_finding_sort_date()""",
            f"""UPDATE {table} f SET sort_date = {PG_SOURCE_DATE.format(row="s")}
            FROM sources_source s WHERE s.id = f.source_id""",
        ]
    return statements


def _sqlite() -> list[str]:
    # recursive_triggers is off (SQLite's default): the UPDATEs below do not fire themselves.
    set_date = (
        "UPDATE {table} SET sort_date = (SELECT "
        + SQLITE_SOURCE_DATE.format(row="s")
        + " FROM sources_source s WHERE s.id = NEW.source_id) WHERE id = NEW.id;"
    )
    copy = " ".join(
        f"UPDATE {t} SET sort_date = {SQLITE_SOURCE_DATE.format(row='NEW')} "
        "WHERE source_id = NEW.id;"
        for t in TABLES
    )
    statements = [
        f"""CREATE TRIGGER sources_source_sort_date
        AFTER UPDATE OF published_on, submitted_at ON sources_source FOR EACH ROW
        WHEN OLD.published_on IS NOT NEW.published_on OR OLD.submitted_at IS NOT NEW.submitted_at
        BEGIN {copy} END""",
    ]
    for table in TABLES:
        statements += [
            f"""CREATE TRIGGER {table}_sort_date_insert AFTER INSERT ON {table} FOR EACH ROW
            BEGIN {set_date.format(table=table)} END""",
            f"""CREATE TRIGGER {table}_sort_date_update
            AFTER UPDATE OF source_id, sort_date ON {table} FOR EACH ROW
            BEGIN {set_date.format(table=table)} END""",
            f"""UPDATE {table} SET sort_date = (SELECT {SQLITE_SOURCE_DATE.format(row="s")}
            FROM sources_source s WHERE s.id = {table}.source_id)""",
        ]
    return statements


def forward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in SORT_INDEXES:
        return
    # The indexes first: created after the backfill, on PostgreSQL they would be unusable
    # (indcheckxmin) until every transaction older than the migration had ended.
    statements = [
        f"CREATE INDEX {table}_{suffix}_sort ON {table} ({columns})"
        for table in TABLES
        for suffix, columns in SORT_INDEXES[vendor]
    ]
    statements += _postgresql() if vendor == "postgresql" else _sqlite()
    for statement in statements:
        schema_editor.execute(statement)
    apps.get_model("knowledge", "CacheGeneration").objects.get_or_create(pk=1)


def backward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in SORT_INDEXES:
        return
    statements = [
        f"DROP INDEX IF EXISTS {t}_{s}_sort" for t in TABLES for s, _ in SORT_INDEXES[vendor]
    ]
    if vendor == "postgresql":
        statements += [f"DROP TRIGGER IF EXISTS {t}_sort_date ON {t}" for t in TABLES]
        statements += [
            "DROP TRIGGER IF EXISTS sources_source_sort_date ON sources_source",
            "DROP FUNCTION IF EXISTS sources_source_sort_date()",
            "DROP FUNCTION IF EXISTS knowledge_finding_sort_date()",
        ]
    else:
        statements += [
            f"DROP TRIGGER IF EXISTS {t}_sort_date_{when}"
            for t in TABLES
            for when in ("insert", "update")
        ]
        statements.append("DROP TRIGGER IF EXISTS sources_source_sort_date")
    for statement in statements:
        schema_editor.execute(statement)
