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
