"""Forms for editors' theme actions: they check the input; the rules are in themes.py."""

from django import forms

from apps.knowledge import selectors
from apps.knowledge.models import Theme

# Theme names are checked for length by the service (themes.too_long), which names the limit.
# The fields keep only a generous bound against hostile input, far above any real name, so
# no browser cuts what a person pastes (a `maxlength` cuts silently).
INPUT_MAX = 2000


class ThemeNameForm(forms.Form):
    """A name for a theme: its new name, or an alias to add."""

    name = forms.CharField(max_length=INPUT_MAX)


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

    into = ThemeNamedField(label="Merge into", max_length=INPUT_MAX)


class ThemeRelateForm(forms.Form):
    """Another theme to list under "see also"."""

    other = ThemeNamedField(label="See also", max_length=INPUT_MAX)


def first_error(form: forms.Form) -> str:
    """One line for a flash message, naming the field that is wrong."""
    field, errors = next(iter(form.errors.items()))
    return f"{form.fields[field].label or field.capitalize()}: {errors[0]}"
