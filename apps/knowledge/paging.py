"""Pages of findings deep in a sorted list, without reading the rows before them in full.

Two ways, both in the explorer's order (explorer._ordering), documented in
docs/performance.md and docs/api.md:

- **Numbered pages** (the explorer): `DeferredPaginator` picks the page's ids with
  OFFSET over the sort index alone, then loads only those rows with their source and
  vocabularies. Page 200 skips 5,000 index entries, not 5,000 joined rows.
- **Cursors** (the API's `cursor`): the last row's sort values, signed; the next page is
  the rows after them (keyset pagination), as fast at row 1,000,000 as at row 25.
"""

from collections.abc import Callable
from datetime import date

from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet

from apps.knowledge.models import Finding

# Per sort: (field, descending, nullable), the explorer's order with its tie-breakers.
_TIES = [("source_id", False, False), ("position", False, False), ("id", False, False)]
SORT_KEYS = {
    "-relevancy": [("relevancy", True, True), ("sort_date", True, True), *_TIES],
    "relevancy": [("relevancy", False, True), ("sort_date", True, True), *_TIES],
    "-date": [("sort_date", True, True), ("name", False, False), *_TIES],
    "date": [("sort_date", False, True), ("name", False, False), *_TIES],
    "name": [("name", False, False), ("sort_date", True, True), *_TIES],
    "-name": [("name", True, False), ("sort_date", True, True), *_TIES],
}
_SALT = "spyglass.findings.cursor"


class CursorError(ValueError):
    """A cursor that this list did not hand out (edited, cut, or for another sort)."""


class DeferredPaginator(Paginator):
    """A Paginator whose pages select their ids first, then `load(ids)` those rows in full."""

    def __init__(self, object_list: QuerySet, per_page: int, *, load: Callable, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.load = load

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.load(ids), number, self)


def cursor_for(finding: Finding, sort: str) -> str:
    """The token that asks for the rows after `finding` in the `sort` order."""
    values = []
    for field, _, _ in SORT_KEYS[sort]:
        value = getattr(finding, field)
        values.append(value.isoformat() if isinstance(value, date) else value)
    return signing.dumps([sort, values], salt=_SALT, compress=True)


def after_cursor(findings: QuerySet, sort: str, cursor: str) -> QuerySet:
    """`findings` (sorted by `sort`) from the row after the one `cursor` names."""
    try:
        cursor_sort, values = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise CursorError("this cursor is not one the list gave; start again without it") from None
    keys = SORT_KEYS[sort]
    if cursor_sort != sort or not isinstance(values, list) or len(values) != len(keys):
        raise CursorError("this cursor belongs to another sort order; start again without it")
    values = [
        date.fromisoformat(value) if field == "sort_date" and value else value
        for (field, _, _), value in zip(keys, values, strict=True)
    ]
    return findings.filter(_after(keys, values))


def _after(keys: list, values: list) -> Q:
    """Rows strictly after `values` in the order `keys` (NULLs last): the OR of "equal on
    the first i keys and after on key i", with a bound on the first key for the index."""
    parts = []
    equal = Q()
    for (field, descending, nullable), value in zip(keys, values, strict=True):
        if value is None:  # NULLs come last: nothing is after NULL, only other NULLs tie
            equal &= Q(**{f"{field}__isnull": True})
            continue
        after = Q(**{f"{field}__{'lt' if descending else 'gt'}": value})
        if nullable:
            after |= Q(**{f"{field}__isnull": True})
        parts.append(equal & after)
        equal &= Q(**{field: value})
    if not parts:
        return Q(pk__in=[])
    return Q.create(parts, connector=Q.OR)
