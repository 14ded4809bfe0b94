"""The lexicon of the names' words, for putting misspelt search words right (PostgreSQL only;
apps/search/lexicon_sql.py). Filled at once from the index's names and the themes."""

from django.db import migrations

from apps.search import lexicon_sql


def _run(schema_editor, statements: list[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forward(apps, schema_editor) -> None:
    _run(schema_editor, lexicon_sql.postgresql_forward())


def backward(apps, schema_editor) -> None:
    _run(schema_editor, lexicon_sql.postgresql_backward())


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
