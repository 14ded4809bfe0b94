"""Counts in words: "1 signal", "2 signals", never "1 signals"."""

from django.db.models import Model
from django.utils.translation import ngettext


def noun_for(count: int, model: type[Model]) -> str:
    """The model's verbose name, singular for 1 and plural otherwise."""
    meta = model._meta
    return ngettext(str(meta.verbose_name), str(meta.verbose_name_plural), count)


def counted(count: int, model: type[Model]) -> str:
    """The count followed by the model's name in the right number: "1 signal"."""
    return f"{count} {noun_for(count, model)}"
