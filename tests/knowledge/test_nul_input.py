"""A NUL character in a query or a form is refused in words, never a 500.

PostgreSQL refuses NUL in any text, even in a lookup, so each of these was a server error
there (SQLite let them through).
"""

import pytest
from django.urls import reverse

from apps.knowledge.models import Signal
from apps.knowledge.vocabulary import display_name
from tests.accounts.factories import UserFactory
from tests.factories import SignalFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(client):
    client.force_login(UserFactory(username="erin", role="editor"))
    return client


def test_names_lose_their_control_characters():
    assert display_name(" a\x00b\x07c \t") == "a b c"


def test_the_explorer_reports_a_nul_theme_slug_and_applies_the_rest(erin):
    energy = ThemeFactory(name="energy")

    response = erin.get(reverse("explore:index"), {"theme": "x\x00", "min_relevancy": "3"})

    assert response.status_code == 200
    assert response.context["problems"] == ["Themes: a theme slug cannot contain NUL characters."]
    assert response.context["cleaned"]["min_relevancy"] == 3
    assert energy.slug in response.content.decode()


@pytest.mark.parametrize(
    ("url", "params"),
    [("knowledge:theme_index", {"q": "en\x00"}), ("findings:theme_choices", {"q": "en\x00"})],
)
def test_theme_searches_ignore_a_nul(erin, url, params):
    ThemeFactory(name="energy")
    response = erin.get(reverse(url), params)
    assert response.status_code == 200
    assert "energy" in response.content.decode()


def test_a_finding_field_with_a_nul_is_refused_naming_the_field(erin):
    signal = SignalFactory(name="Before", description="kept")

    response = erin.post(
        reverse("findings:edit", args=["signals", signal.pk]),
        {"name": "After", "description": "a\x00b", "version": signal.version},
    )

    assert response.status_code == 400
    assert "Description must not contain NUL characters." in response.content.decode()
    signal.refresh_from_db()
    assert (signal.name, signal.description) == ("Before", "kept")
    assert Signal.objects.count() == 1
