"""/trends/ (charts over time) and /trends/emerging/ (themes whose share grows fastest)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.access import read_access
from apps.knowledge.models import Theme
from apps.trends import emerging as rule
from apps.trends.charts import chart
from apps.trends.forms import EmergingForm, TrendFilterForm, as_of
from apps.trends.periods import label
from apps.trends.selectors import category_series, overall_series, theme_series


def _problems(form) -> list[str]:
    return [f"{form.fields[name].label}: {errors[0]}" for name, errors in form.errors.items()]


def _themes(chosen: list[Theme]) -> list[Theme]:
    """Approved themes for the checkboxes, the chosen ones first."""
    picked = {theme.pk for theme in chosen}
    themes = Theme.objects.filter(status=Theme.Status.APPROVED).only("name", "slug")
    return sorted(themes, key=lambda theme: theme.pk not in picked)


@read_access
def index(request: HttpRequest) -> HttpResponse:
    """Signals and sources per week or month: everything, per theme, per category."""
    form = TrendFilterForm(request.GET)
    form.is_valid()
    cleaned = form.applied()
    period = cleaned["period"]
    context = {
        "form": form,
        "problems": _problems(form),
        "cleaned": cleaned,
        "chosen": [theme.slug for theme in cleaned["theme"]],
        "themes": _themes(cleaned["theme"]),
        "overall": chart(overall_series(cleaned), period),
        "by_theme": [chart(series, period) for series in theme_series(cleaned)],
        "by_category": [chart(series, period) for series in category_series(cleaned)],
    }
    return render(request, "trends/index.html", context)


@read_access
def emerging(request: HttpRequest) -> HttpResponse:
    """Themes ranked by the growth of their share of signals, with the figures behind it."""
    form = EmergingForm(request.GET)
    form.is_valid()
    cleaned = form.applied()
    period = cleaned["period"]
    windows = {
        **rule.DEFAULTS[period],
        **{k: cleaned[k] for k in ("recent", "baseline") if k in cleaned},
    }
    ranking = rule.emerging_themes(
        period=period,
        as_of=as_of(cleaned),
        minimum=cleaned.get("minimum", rule.DEFAULT_MINIMUM),
        category=cleaned.get("category"),
        **windows,
    )
    context = {
        "form": form,
        "problems": _problems(form),
        "ranking": ranking,
        "labels": [label(day, period) for day in ranking.buckets],
        "prior": rule.PRIOR,
        **windows,
    }
    return render(request, "trends/emerging.html", context)
