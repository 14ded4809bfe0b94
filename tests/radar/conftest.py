import datetime as dt

import pytest
from django.utils import timezone

from apps.knowledge.models import TechnologyTheme
from tests.factories import CategoryFactory, SourceFactory, TechnologyFactory


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


@pytest.fixture
def technology(db):
    """technology(name, relevancy, days ago, category=..., themes=..., source_themes=...)."""

    def make(name, relevancy, age, *, category="technology", themes=(), source_themes=(), **extra):
        source = SourceFactory(
            published_on=days_ago(age), category=CategoryFactory(name=category), **extra
        )
        for theme in source_themes:
            source.theme_links.create(theme=theme)
        finding = TechnologyFactory(source=source, name=name, relevancy=relevancy)
        for theme in themes:
            TechnologyTheme.objects.create(technology=finding, theme=theme)
        return finding

    return make
