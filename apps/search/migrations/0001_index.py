"""The search index: tables, triggers and indexes for the database in use, filled at once.

PostgreSQL gets a tsvector table with GIN indexes and pg_trgm; SQLite gets FTS5 tables.
Both are filled here from the existing rows, then kept current by triggers
(apps/search/index_sql.py, docs/search.md).
"""

from django.db import migrations

from apps.search import index_sql


def _run(schema_editor, statements: list[str]) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, index_sql.postgresql_forward())
    elif vendor == "sqlite":
        _run(schema_editor, index_sql.sqlite_forward())


def backward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, index_sql.postgresql_backward())
    elif vendor == "sqlite":
        _run(schema_editor, index_sql.sqlite_backward())


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0006_finding_confidence_review"),
        ("sources", "0008_source_claimed_by"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
