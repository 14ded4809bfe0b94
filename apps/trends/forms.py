"""The trend pages' query parameters: the explorer's theme, category and date fields (same
names, same messages, same handling of renamed themes) plus the period and the windows."""

import datetime as dt

from django import forms
from django.utils import timezone

from apps.knowledge.explorer import FindingFilterForm
from apps.trends.periods import DEFAULT_PERIOD, MAX_BUCKETS, PERIODS, bucket_of, shift

# Without dates a chart shows the last half year of weeks, or the last year of months.
DEFAULT_SPAN = {"week": 26, "month": 12}
WHOLE = {"invalid": "give a whole number."}


def _period_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Per",
        required=False,
        choices=list(PERIODS.items()),
        error_messages={"invalid_choice": "choose “week” or “month”."},
    )


class _Narrowed(FindingFilterForm):
    """The explorer's form with only the fields named in KEPT."""

    KEPT: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in [name for name in self.fields if name not in self.KEPT]:
            del self.fields[name]

    def clean_period(self) -> str:
        return self.cleaned_data["period"] or DEFAULT_PERIOD

    def applied(self) -> dict:
        """The valid parameters; a wrong period falls back to weeks."""
        return {"period": DEFAULT_PERIOD, **super().applied()}


class TrendFilterForm(_Narrowed):
    """/trends/: which themes, which category, per week or month, between which dates."""

    KEPT = ("theme", "category", "period", "date_from", "date_to")
    period = _period_field()

    def clean(self) -> dict:
        cleaned = super().clean()
        period = cleaned.get("period") or DEFAULT_PERIOD
        end = cleaned.get("date_to") or timezone.localdate()
        start = cleaned.get("date_from")
        if start is None or start > end:  # a reversed range was reported by the parent
            start = shift(bucket_of(end, period), period, 1 - DEFAULT_SPAN[period])
        most = MAX_BUCKETS[period]
        earliest = shift(bucket_of(end, period), period, 1 - most)
        if start < earliest:
            self.add_error(
                "date_from", f"a chart shows at most {most} {period}s; it starts on {earliest}."
            )
            start = earliest
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


class EmergingForm(_Narrowed):
    """/trends/emerging/: the windows compared, the minimum count, the date they end on."""

    KEPT = ("category", "period", "date_to", "recent", "baseline", "minimum")
    period = _period_field()
    recent = forms.IntegerField(
        label="Recent periods",
        required=False,
        min_value=1,
        max_value=26,
        error_messages={"min_value": "give 1 to 26.", "max_value": "give 1 to 26.", **WHOLE},
    )
    baseline = forms.IntegerField(
        label="Baseline periods",
        required=False,
        min_value=1,
        max_value=52,
        error_messages={"min_value": "give 1 to 52.", "max_value": "give 1 to 52.", **WHOLE},
    )
    minimum = forms.IntegerField(
        label="Minimum recent signals",
        required=False,
        min_value=1,
        max_value=1000,
        error_messages={
            "min_value": "give at least 1.",
            "max_value": "give at most 1000.",
            **WHOLE,
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_to"].label = "As of"


def as_of(cleaned: dict) -> dt.date:
    return cleaned.get("date_to") or timezone.localdate()
