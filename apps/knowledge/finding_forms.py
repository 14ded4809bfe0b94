"""The finding form: it only shows fields and carries input; findings.py checks the values."""

from django import forms
from django.core.exceptions import ValidationError

from apps.knowledge.models import Finding

RELEVANCY_CHOICES = [("", "none"), *((str(n), f"{n} of 5") for n in range(1, 6))]
TEXTAREA = forms.Textarea(attrs={"rows": 3})


class FindingForm(forms.Form):
    """Every editable field of one kind of finding; `prefix_id` keeps ids unique per page."""

    def __init__(
        self, model: type[Finding], *args, id_prefix: str, autofocus: bool = False, **kwargs
    ):
        super().__init__(*args, auto_id=f"{id_prefix}-%s", label_suffix="", **kwargs)
        for name in model.EDITABLE_FIELDS:
            label = str(model._meta.get_field(name).verbose_name).capitalize()
            if name == "name":
                field = forms.CharField(label=label, required=False)
                field.widget.attrs.update({"maxlength": 300, "autocomplete": "off"})
                if autofocus:  # htmx focuses it when the form replaces the row
                    field.widget.attrs["autofocus"] = True
            elif name == "relevancy":
                field = forms.ChoiceField(label=label, choices=RELEVANCY_CHOICES, required=False)
            else:
                field = forms.CharField(label=label, required=False, widget=TEXTAREA)
            self.fields[name] = field

    def values(self, data) -> dict:
        """The fields the request sent, as sent: a field left out is left alone."""
        return {name: data[name] for name in self.fields if name in data}

    def refuse(self, error: ValidationError) -> None:
        """Show the service's errors beside the fields they name."""
        self.is_valid()
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


def initial_values(finding: Finding) -> dict:
    return {
        name: "" if getattr(finding, name) is None else getattr(finding, name)
        for name in finding.EDITABLE_FIELDS
    }
