"""Forms for editors' theme actions: they check the input; the rules are in themes.py."""

from django import forms

from apps.knowledge import selectors
from apps.knowledge.models import Theme


class ThemeNameForm(forms.Form):
    """A name for a theme: its new name, or an alias to add."""

    name = forms.CharField(max_length=120)


class ThemeNamedField(forms.CharField):
    """A theme typed by name, slug or alias (following merges); cleans to the Theme."""

    def clean(self, value) -> Theme:
        name = super().clean(value)
        theme = selectors.theme_named(name)
        if theme is None:
            raise forms.ValidationError(f"no theme is named “{name}”")
        return theme


class ThemeMergeForm(forms.Form):
    """The theme to merge into."""

    into = ThemeNamedField(label="Merge into", max_length=120)


class ThemeRelateForm(forms.Form):
    """Another theme to list under "see also"."""

    other = ThemeNamedField(label="See also", max_length=120)


def first_error(form: forms.Form) -> str:
    """One line for a flash message, naming the field that is wrong."""
    field, errors = next(iter(form.errors.items()))
    return f"{form.fields[field].label or field.capitalize()}: {errors[0]}"
