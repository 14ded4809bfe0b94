"""Querysets built and compiled once per process, then run for any id.

Django builds a queryset and compiles its SQL on every run. For a UNION of four or five
tables that costs 3 to 4 ms of Python (measured on the size-20 benchmark base), more than
the database takes to answer it; the source page runs two such queries per request. A
`Prepared` query is built and compiled once per database for a placeholder id; each run
puts the real id in its place, executes the same SQL, and converts the values as Django
would (from_db_value: JSON, and dates on SQLite).

For queries whose SQL depends on nothing but the id: no other value may be baked in that
changes while the process runs (a content type's id, a setting, the time).
"""

from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

# An id no row has: the compiled SQL's parameters equal to it are where the real id goes.
PLACEHOLDER = -7_654_321


class Prepared:
    def __init__(self, build: Callable[[int], QuerySet]) -> None:
        self.build = build  # the queryset for one id, used as a value in its filters
        self.compiled: dict[str, tuple] = {}  # database alias -> what _compile returns

    def rows(self, item_id: int, using: str = "default") -> list[list]:
        """The queryset's rows for `item_id`, as lists of converted values."""
        sql, params, slots, converters = self.compiled.get(using) or self._compile(using)
        values = list(params)
        for slot in slots:
            values[slot] = item_id
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            rows = [list(row) for row in cursor.fetchall()]
        for position, (functions, expression) in converters:
            for row in rows:
                for convert in functions:
                    row[position] = convert(row[position], expression, connection)
        return rows

    def _compile(self, using: str) -> tuple:
        compiler = self.build(PLACEHOLDER).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = [i for i, value in enumerate(params) if value == PLACEHOLDER]
        if not slots:
            raise ValueError("The query does not use the id as a parameter.")
        # What ValuesListIterable applies (compiler.results_iter), found once.
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        converters = list(compiler.get_converters(columns).items())
        self.compiled[using] = (sql, tuple(params), slots, converters)
        return self.compiled[using]
