"""/radar/'s query parameters: the explorer's themes (same names and messages) and a period."""

from django import forms

from apps.knowledge.explorer import FindingFilterForm
from apps.radar.selectors import PERIODS


class RadarFilterForm(FindingFilterForm):
    """Themes (any of them, carried by the technology or its source) and how far back."""

    period = forms.ChoiceField(
        label="Seen in",
        required=False,
        choices=list(PERIODS.items()),
        error_messages={"invalid_choice": "choose one of the listed periods."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in [name for name in self.fields if name not in ("theme", "period")]:
            del self.fields[name]
