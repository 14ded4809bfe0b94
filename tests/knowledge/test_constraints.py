"""What the database itself refuses, whatever the code above it does."""

import pytest
from django.db import IntegrityError, transaction

from apps.knowledge.models import Behavior, Signal, SignalTheme, Theme
from apps.sources.models import Source, SourceTheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return Source.objects.create(url="https://e.org/a", canonical_url="https://e.org/a")


@pytest.mark.parametrize("relevancy", [0, 6, 100])
@pytest.mark.parametrize("model", [Signal, Behavior])
def test_relevancy_outside_1_to_5_is_refused(source, model, relevancy):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(source=source, name="x", relevancy=relevancy)


@pytest.mark.parametrize("relevancy", [None, 1, 5])
def test_relevancy_1_to_5_or_unknown_is_stored(source, relevancy):
    assert Signal.objects.create(source=source, name="x", relevancy=relevancy).pk


def test_one_source_per_canonical_url(source):
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(
            url="https://e.org/a?utm_source=x", canonical_url=source.canonical_url
        )


def test_theme_slugs_are_unique():
    Theme.objects.create(name="AI", slug="ai")

    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.objects.create(name="A.I.", slug="ai")


def test_a_theme_is_linked_to_an_item_once(source):
    theme = Theme.objects.create(name="AI", slug="ai")
    signal = Signal.objects.create(source=source, name="x")
    SourceTheme.objects.create(source=source, theme=theme)
    SignalTheme.objects.create(signal=signal, theme=theme)

    with pytest.raises(IntegrityError), transaction.atomic():
        SourceTheme.objects.create(source=source, theme=theme, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignalTheme.objects.create(signal=signal, theme=theme, position=1)
