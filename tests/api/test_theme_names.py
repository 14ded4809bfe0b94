"""The API refuses a theme name without a letter or digit, as the pages do."""

import pytest

from apps.knowledge.models import Theme
from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def test_create_and_rename_answer_400_with_the_reason(editor_api):
    created = editor_api.send("post", "themes/", {"name": "?!"})
    assert created.status_code == 400
    assert created.json()["code"] == "theme_refused"
    assert "needs a letter or a digit" in created.json()["message"]

    theme = ThemeFactory(name="energy")
    renamed = editor_api.send("patch", f"themes/{theme.pk}", {"name": "--"})
    assert renamed.status_code == 400
    assert Theme.objects.get().name == "energy"


LONG = "Regulatory, economic and social consequences of autonomous freight corridors " + "x" * 50
REFUSAL = f"Theme names can be at most 120 characters; this one has {len(LONG)}."


def test_the_api_refuses_it_on_create_and_rename_with_the_limit(editor_api):
    created = editor_api.send("post", "themes/", {"name": LONG})
    assert created.status_code == 400
    assert created.json()["message"] == REFUSAL

    theme = ThemeFactory(name="energy")
    renamed = editor_api.send("patch", f"themes/{theme.pk}", {"name": LONG})
    assert renamed.status_code == 400
    assert renamed.json()["message"] == REFUSAL
    assert Theme.objects.get().name == "energy"


def test_adding_a_long_theme_name_to_a_source_names_the_limit(editor_api):
    from tests.factories import SourceFactory

    source = SourceFactory()
    response = editor_api.send("post", f"sources/{source.pk}/themes/", {"name": LONG})
    assert response.status_code == 400
    assert response.json()["message"] == REFUSAL
