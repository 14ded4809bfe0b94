"""Fast writes of many rows with ids chosen by the caller: COPY on PostgreSQL, executemany on
SQLite.

Demo data is written like a database dump is restored: no model instances, no save(), no
signals, no audit entries. Building 2 million model instances for bulk_create costs more than
the database's own work; COPY through psycopg 3 streams tuples straight into the table. Ids
are assigned here (one contiguous range per table, after the current maximum) so links can
point at rows before they exist, and so the range marks the rows as demo data.
"""

from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection, models


class Table:
    """One model's table: the columns the caller fills per row, and constants for the rest.

    Every other concrete field takes its Python default, prepared for the database once. A
    field that has no default and may not be null must be one of `fields`.
    """

    def __init__(self, model: type[models.Model], fields: Sequence[str]):
        meta = model._meta
        self.model = model
        self.name = meta.db_table
        self.fields = [meta.get_field(name) for name in fields]
        rest = [f for f in meta.concrete_fields if f.name not in fields]
        for field in rest:
            if not field.null and field.get_default() is None:
                raise ValueError(f"{self.name}.{field.column} needs a value")
        self.columns = [f.column for f in self.fields] + [f.column for f in rest]
        self.constants = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        # Values Python hands over as they are, except these (dates, JSON) on some vendors.
        self.prepared = [
            i
            for i, f in enumerate(self.fields)
            if isinstance(f, models.DateTimeField | models.JSONField)
        ]
        self.next_id = _max_id(self.name) + 1
        self.first_id = self.next_id
        self.written = 0

    def write_numbered(self, rows: Sequence[tuple]) -> None:
        """Write rows that leave the id to this table (links nothing points at)."""
        ids = self.take_ids(len(rows))
        self.write((pk, *values) for pk, values in zip(ids, rows, strict=True))

    def take_ids(self, count: int) -> range:
        ids = range(self.next_id, self.next_id + count)
        self.next_id += count
        return ids

    def write(self, rows: Iterable[tuple]) -> None:
        """Insert rows (values in the order of `fields`); the caller's transaction holds them."""
        rows = [self._row(values) for values in rows]
        if not rows:
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(self.name)} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(self.name)} ({columns}) VALUES ({marks})", rows
                )
        self.written += len(rows)

    def _row(self, values: tuple) -> tuple:
        if self.prepared:
            values = list(values)
            for i in self.prepared:
                values[i] = self.fields[i].get_db_prep_save(values[i], connection)
        return (*values, *self.constants)

    def id_range(self) -> list[int] | None:
        if self.next_id == self.first_id:
            return None
        return [self.first_id, self.next_id - 1]


def _max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0] or 0


def reset_sequences(model_list: Sequence[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past the ids written here (SQLite follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def delete_range(model: type[models.Model], first: int, last: int) -> int:
    """Delete one recorded id range, and what depends on it as the model's on_delete says.

    Raw SQL, because the ORM's collector would load every row (and 100,000 sources hold
    gigabytes of text) to cascade; rows an editor added to demo data go with it.
    """
    return _delete_where(model, f"{model._meta.pk.column} BETWEEN %s AND %s", [first, last], 0)


def _delete_where(model: type[models.Model], where: str, params: list, depth: int) -> int:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    reverse = [
        f for f in model._meta.get_fields(include_hidden=True) if f.auto_created and f.one_to_many
    ]
    with connection.cursor() as cursor:
        for rel in reverse:
            child, column = rel.related_model, quote(rel.field.column)
            inside = f"{column} IN (SELECT {pk} FROM {table} WHERE {where})"
            if rel.on_delete is models.CASCADE and child is not model and depth < 3:
                _delete_where(child, inside, params, depth + 1)
            elif rel.on_delete is models.SET_NULL:
                child_table = quote(child._meta.db_table)
                cursor.execute(f"UPDATE {child_table} SET {column} = NULL WHERE {inside}", params)
        cursor.execute(f"DELETE FROM {table} WHERE {where}", params)
        return cursor.rowcount
