"""Aggregates in subqueries: one value per outer row, the default where nothing matches."""

from datetime import UTC, datetime

import pytest
from django.db.models import DateTimeField, OuterRef

from apps.core.queries import subquery_aggregate, subquery_count
from apps.knowledge.models import Theme
from apps.sources.models import SourceTheme
from tests.factories import SourceThemeFactory, ThemeFactory

pytestmark = pytest.mark.django_db

NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def test_count_and_max_per_row_with_a_default_for_rows_without_links():
    busy, idle = ThemeFactory(name="busy"), ThemeFactory(name="idle")
    links = SourceThemeFactory.create_batch(3, theme=busy)
    mine = SourceTheme.objects.filter(theme=OuterRef("pk"))

    rows = Theme.objects.annotate(
        n=subquery_count(mine),
        last=subquery_aggregate(
            mine, "MAX", "added_at", default=NEVER, output_field=DateTimeField()
        ),
    ).order_by("name")

    assert [(theme.name, theme.n) for theme in rows] == [("busy", 3), ("idle", 0)]
    assert rows[0].last == max(link.added_at for link in links)
    assert rows[1].last == NEVER
    assert idle.pk == rows[1].pk
