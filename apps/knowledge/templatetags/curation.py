"""Template helpers for editors' controls on the source page."""

from functools import cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from apps.knowledge.curation_selectors import SOURCE_KIND
from apps.knowledge.finding_forms import FindingForm
from apps.knowledge.models import FINDING_MODELS

register = template.Library()


@register.simple_tag
def item_url(name: str, kind: str, item_id: int, *extra) -> str:
    """A curation URL for a source (kind "sources") or a finding of any kind."""
    if kind == SOURCE_KIND:
        return reverse(f"source_curation:{name}", args=[item_id, *extra])
    return reverse(f"findings:{name}", args=[kind, item_id, *extra])


@register.filter
def kind_label(kind: str) -> str:
    """ "signals" -> "signal"; "sources" -> "source"."""
    model = FINDING_MODELS.get(kind)
    return str(model._meta.verbose_name) if model else "source"


@register.filter
def item_key(kind: str, item_id: int) -> str:
    """ "signals", 5 -> "signals-5": what the element ids of a finding's row or of an item's
    themes end with. Fragments build it once: one lookup per id instead of two."""
    return f"{kind}-{item_id}"


@register.filter
def a_or_an(word: str) -> str:
    """The word with its article: "an issue", "a signal"."""
    return f"{'an' if str(word)[:1].lower() in 'aeiou' else 'a'} {word}"


@register.inclusion_tag("knowledge/finding_form.html#add", takes_context=True)
def finding_add(context, kind: str, source, form=None) -> dict:
    """The "Add a signal" form under a table; `form` carries what was typed after an error."""
    return {
        "form": form,  # None: the empty form's fields come rendered already
        "blank_fields": None if form else blank_add_fields(kind),
        "adding": bool(form),
        "finding": None,  # what the form's template asks when it edits one
        "next": "",
        "conflict": "",
        "kind": kind,
        "source": source,
        "label": kind_label(kind),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


def blank_add_fields(kind: str) -> str:
    """The fields of an empty add form: the same on every source page, so rendered once
    per process and language. Django renders a form field through four templates: the
    four add forms (15 fields) took a third of the source page's rendering."""
    if settings.DEBUG:  # a template edited while the server runs shows at once
        return _add_fields(kind, get_language())
    return _cached_add_fields(kind, get_language())


def _add_fields(kind: str, language: str) -> str:
    form = FindingForm(FINDING_MODELS[kind], id_prefix=f"add-{kind}")
    return render_to_string("knowledge/finding_form.html#fields", {"form": form})


_cached_add_fields = cache(_add_fields)
