"""Forms for editors' theme actions: they check the input; the rules are in themes.py."""

from django import forms

from apps.knowledge import selectors
from apps.knowledge.models import Theme


class ThemeNameForm(forms.Form):
    """A name for a theme: its new name, or an alias to add."""

    name = forms.CharField(max_length=120)


class ThemeMergeForm(forms.Form):
    """The theme to merge into, typed by name or alias."""

    into = forms.CharField(label="Merge into", max_length=120)

    def clean_into(self) -> Theme:
        name = self.cleaned_data["into"]
        theme = selectors.theme_named(name)
        if theme is None:
            raise forms.ValidationError(f"no theme is named “{name}”")
        return theme


class ThemeRelateForm(forms.Form):
    """Another theme to list under "see also", typed by name or alias."""

    other = forms.CharField(label="See also", max_length=120)

    def clean_other(self) -> Theme:
        name = self.cleaned_data["other"]
        theme = selectors.theme_named(name)
        if theme is None:
            raise forms.ValidationError(f"no theme is named “{name}”")
        return theme


def first_error(form: forms.Form) -> str:
    """One line for a flash message, naming the field that is wrong."""
    field, errors = next(iter(form.errors.items()))
    return f"{form.fields[field].label or field.capitalize()}: {errors[0]}"
