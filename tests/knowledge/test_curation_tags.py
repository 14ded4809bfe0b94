"""The source page's add forms (apps/knowledge/templatetags/curation.py): an empty one comes
from HTML rendered once; one that comes back with errors is rendered with what was typed."""

import pytest
from django.template.loader import render_to_string

from apps.knowledge.finding_forms import FindingForm
from apps.knowledge.models import FINDING_MODELS
from apps.knowledge.templatetags import curation
from tests.factories import SourceFactory
from tests.knowledge.finding_support import HTMX, page_url, url

pytestmark = pytest.mark.django_db


def fresh_fields(kind: str) -> str:
    form = FindingForm(FINDING_MODELS[kind], id_prefix=f"add-{kind}")
    return "".join(f'<div class="field">{field.as_field_group()}</div>' for field in form)


@pytest.mark.parametrize("kind", FINDING_MODELS)
def test_the_empty_add_form_shows_the_fields_a_fresh_form_renders(editor_client, kind):
    source = SourceFactory()

    html = editor_client.get(page_url(source)).content.decode()

    add = html[html.index(f'action="{url("create", kind, source.pk)}"') :]
    assert fresh_fields(kind) in add[: add.index("</form>")]


def test_the_empty_fields_are_rendered_once_per_process(settings):
    settings.DEBUG = False
    curation._cached_add_fields.cache_clear()

    first = curation.blank_add_fields("signals")

    assert curation.blank_add_fields("signals") is first
    assert curation._cached_add_fields.cache_info().hits == 1
    assert first == render_to_string(
        "knowledge/finding_form.html#fields",
        {"form": FindingForm(FINDING_MODELS["signals"], id_prefix="add-signals")},
    )


def test_an_add_that_fails_comes_back_with_what_was_typed_and_why(editor_client):
    source = SourceFactory()

    response = editor_client.post(
        url("create", "signals", source.pk), {"name": "", "description": "typed text"}, **HTMX
    )

    html = response.content.decode()
    add = html[html.index('<details class="finding-add" open>') :]
    assert ">\ntyped text</textarea>" in add
    assert "A name is required." in add
