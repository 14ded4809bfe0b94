from django import forms

from apps.digests.models import PERIODS, Frequency

RELEVANCIES = [(n, f"{n} or more") for n in range(1, 6)]
PERIOD_ERROR = "choose one of the periods offered."


class PreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label="E-mail me a digest",
        choices=Frequency.choices,
        error_messages={"invalid_choice": "choose weekly, daily or never."},
    )
    min_relevancy = forms.TypedChoiceField(
        label="Signals rated",
        choices=RELEVANCIES,
        coerce=int,
        error_messages={"invalid_choice": "give a relevancy from 1 to 5."},
    )
    period_days = forms.TypedChoiceField(
        label="The digest page shows",
        choices=PERIODS,
        coerce=int,
        error_messages={"invalid_choice": PERIOD_ERROR},
    )


class PeriodForm(forms.Form):
    """The digest page's ?days= choice; without it the user's own setting applies."""

    days = forms.TypedChoiceField(
        label="Show",
        choices=PERIODS,
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": PERIOD_ERROR},
    )
