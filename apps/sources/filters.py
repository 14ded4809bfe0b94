"""The sources list's filter: its field names are the query parameters of the page and the API.

An invalid parameter is reported by name and left out; the valid ones still apply, so a
mistyped date does not throw away the rest of a shared URL.
"""

from django import forms
from django.contrib.auth import get_user_model

from apps.knowledge import selectors as knowledge
from apps.knowledge.cache import cached
from apps.knowledge.models import Category, SourceType
from apps.search.query import SearchQueryError, parse
from apps.sources.models import Source

SORTS = {
    "-submitted": "Newest first",
    "submitted": "Oldest first",
    "-published": "Newest published",
    "published": "Oldest published",
    "title": "Title A to Z",
    "-title": "Title Z to A",
}
DEFAULT_SORT = "-submitted"


def _named(model, value: str):
    """A vocabulary entry by name (any case) or slug, or None (cached until the knowledge or
    the vocabularies change)."""
    return cached("vocabulary-named", (model._meta.label, value), lambda: _lookup(model, value))


def _lookup(model, value: str):
    return (
        model.objects.filter(name__iexact=value).first()
        or model.objects.filter(slug=value.lower()).first()
    )


class SourceFilterForm(forms.Form):
    """Filters for the sources list; `cleaned_data` holds model rows, not names."""

    default_sort = DEFAULT_SORT

    state = forms.ChoiceField(
        label="State",
        required=False,
        choices=[("", "any state"), *Source.Status.choices],
        error_messages={"invalid_choice": "“%(value)s” is not a state a source can be in."},
    )
    category = forms.CharField(label="Category", required=False, max_length=80)
    type = forms.CharField(label="Type", required=False, max_length=80)
    theme = forms.CharField(label="Theme", required=False, max_length=140)
    submitter = forms.CharField(label="Submitted by", required=False, max_length=150)
    date_from = forms.DateField(
        label="Submitted from",
        required=False,
        error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
    )
    date_to = forms.DateField(
        label="Submitted until",
        required=False,
        error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
    )
    # Searched in the search index (docs/search.md): title, summary, text, keywords, link.
    q = forms.CharField(label="Words", required=False, max_length=200)
    sort = forms.ChoiceField(
        label="Sort",
        required=False,
        choices=list(SORTS.items()),
        error_messages={"invalid_choice": "“%(value)s” is not a way to sort; use one listed."},
    )
    page = forms.IntegerField(
        label="Page",
        required=False,
        min_value=1,
        error_messages={"invalid": "Enter a page number (1, 2, …)."},
    )

    def clean_q(self) -> str:
        text = self.cleaned_data["q"]
        if text:
            try:
                parse(text)
            except SearchQueryError as error:
                raise forms.ValidationError(str(error)) from None
        return text

    def clean_category(self) -> Category | None:
        return self._vocabulary(Category, "category", "no category is named “{}”")

    def clean_type(self) -> SourceType | None:
        return self._vocabulary(SourceType, "type", "no source type is named “{}”")

    def _vocabulary(self, model, field: str, missing: str):
        value = self.cleaned_data[field].strip()
        if not value:
            return None
        entry = _named(model, value)
        if entry is None:
            raise forms.ValidationError(missing.format(value))
        return entry

    def clean_theme(self):
        value = self.cleaned_data["theme"].strip()
        if not value:
            return None
        # A slug, a name or an alias; a merged theme's old name means the theme it went into.
        theme = knowledge.theme_named(value)
        if theme is None:
            raise forms.ValidationError(f"no theme is named “{value}”")
        return theme

    def clean_submitter(self):
        value = self.cleaned_data["submitter"].strip()
        if not value:
            return None
        user = get_user_model().objects.filter(username__iexact=value).first()
        if user is None:
            raise forms.ValidationError(f"no user is called “{value}”")
        return user

    def clean_date_to(self):
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data["date_to"]
        if start and end and end < start:
            raise forms.ValidationError("The end date is before the start date.")
        return end

    def clean_sort(self) -> str:
        return self.cleaned_data["sort"] or DEFAULT_SORT

    def error_lines(self) -> list[str]:
        """One line per wrong field, naming it, for the page and the API."""
        return [
            f"{self.fields[name].label}: {errors[0]}" if name in self.fields else errors[0]
            for name, errors in self.errors.items()
        ]


def source_filter(data) -> SourceFilterForm:
    """A bound filter form, checked; use `cleaned_data` even when it has errors."""
    form = SourceFilterForm(data)
    form.is_valid()
    return form
