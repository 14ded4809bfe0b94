"""Personas and known data for the digest tests: Rita the reader follows "tidal power"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.knowledge.models import Signal
from tests.accounts.factories import UserFactory
from tests.factories import SignalFactory, SignalThemeFactory, SourceThemeFactory, ThemeFactory


@pytest.fixture
def rita(db):
    return UserFactory(username="rita", role="reader", email="rita@example.org")


@pytest.fixture
def tidal(db):
    return ThemeFactory(name="tidal power")


@pytest.fixture
def coastal(db):
    return ThemeFactory(name="coastal towns")


def signal_on(theme, *, relevancy=5, days_ago=1, through_source=False, **fields):
    """A signal added `days_ago`, carrying `theme` itself or through its source."""
    signal = SignalFactory(relevancy=relevancy, **fields)
    if through_source:
        SourceThemeFactory(source=signal.source, theme=theme)
    else:
        SignalThemeFactory(signal=signal, theme=theme)
    Signal.objects.filter(pk=signal.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    signal.refresh_from_db()
    return signal
