"""Aggregates in subqueries, for annotate(): one per outer row, without joins.

A join to count or date the rows related to each theme or source would multiply the outer
rows and count every link of every row before a page is cut; a correlated subquery
(filtered with OuterRef) works only on the rows shown. The aggregate is a plain SQL
function rather than Count()/Max(), so the inner query needs no GROUP BY column.
"""

from django.db.models import F, Func, IntegerField, QuerySet, Subquery, Value
from django.db.models.fields import Field
from django.db.models.functions import Coalesce


def subquery_aggregate(
    queryset: QuerySet, function: str, field: str, *, default, output_field: Field
) -> Coalesce:
    """`function` (COUNT, MAX, ...) of `field` over `queryset`'s rows; `default` when none."""
    inner = (
        queryset.order_by()
        .annotate(subquery_value=Func(F(field), function=function, output_field=output_field))
        .values("subquery_value")
    )
    return Coalesce(
        Subquery(inner, output_field=output_field), Value(default), output_field=output_field
    )


def subquery_count(queryset: QuerySet) -> Coalesce:
    """How many rows `queryset` holds, 0 when none."""
    return subquery_aggregate(queryset, "COUNT", "pk", default=0, output_field=IntegerField())
