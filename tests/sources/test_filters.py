"""SourceFilterForm and sources_filtered: each filter, the sorts, and what bad input says."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from apps.knowledge.themes import theme_merge
from apps.sources.filters import SourceFilterForm, source_filter
from apps.sources.models import Source, Submission
from apps.sources.selectors import sources_filtered
from tests.factories import (
    CategoryFactory,
    SourceFactory,
    SourceThemeFactory,
    SourceTypeFactory,
    ThemeAliasFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def titles(params: dict) -> list[str]:
    form = source_filter(params)
    assert not form.errors, form.errors
    return [source.title for source in sources_filtered(form.cleaned_data)]


def submitted_on(source: Source, day: date) -> Source:
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=12)))
    Source.objects.filter(pk=source.pk).update(submitted_at=moment)
    return source


def test_no_filter_lists_everything_newest_first():
    SourceFactory(title="old")
    SourceFactory(title="new")
    assert titles({}) == ["new", "old"]


def test_state():
    SourceFactory(title="done")
    SourceFactory(title="failed", status=Source.Status.FAILED)
    assert titles({"state": "failed"}) == ["failed"]


def test_category_by_name_in_any_case_or_by_slug():
    CategoryFactory(name="Public policy", slug="public-policy")
    SourceFactory(title="policy", category__name="Public policy")
    SourceFactory(title="tech")
    assert titles({"category": "public POLICY"}) == ["policy"]
    assert titles({"category": "public-policy"}) == ["policy"]


def test_type():
    SourceFactory(title="paper", source_type=SourceTypeFactory(name="paper"))
    SourceFactory(title="news")
    assert titles({"type": "paper"}) == ["paper"]


def test_theme_by_slug_name_alias_or_merged_name():
    ai = ThemeFactory(name="artificial intelligence")
    ThemeAliasFactory(theme=ai, name="AI")
    SourceThemeFactory(theme=ai, source=SourceFactory(title="on ai"))
    SourceFactory(title="elsewhere")
    assert titles({"theme": "artificial-intelligence"}) == ["on ai"]
    assert titles({"theme": "Artificial Intelligence"}) == ["on ai"]
    assert titles({"theme": "ai"}) == ["on ai"]

    ml = ThemeFactory(name="machine learning")
    theme_merge(ml, into=ai, user=None)
    assert titles({"theme": "machine-learning"}) == ["on ai"]


def test_submitter():
    carol = UserFactory(username="carol")
    mine = SourceFactory(title="carol's", submitted_by=carol)
    Submission.objects.create(source=mine, submitted_by=carol, url=mine.url)
    SourceFactory(title="someone else's")
    assert titles({"submitter": "Carol"}) == ["carol's"]


def test_date_range_includes_both_days():
    today = timezone.localdate()
    for days, title in ((0, "today"), (1, "yesterday"), (2, "two days ago"), (3, "three")):
        submitted_on(SourceFactory(title=title), today - timedelta(days=days))
    params = {
        "date_from": str(today - timedelta(days=2)),
        "date_to": str(today - timedelta(days=1)),
    }
    assert titles(params) == ["yesterday", "two days ago"]
    assert titles({"date_from": str(today)}) == ["today"]
    assert titles({"date_to": str(today - timedelta(days=3))}) == ["three"]


def test_free_text_looks_in_title_and_links():
    SourceFactory(title="No moat for Google")
    SourceFactory(title="Elsewhere", canonical_url="https://moat.example/x", url="https://x.y/")
    SourceFactory(title="Unrelated")
    assert sorted(titles({"q": "MOAT"})) == ["Elsewhere", "No moat for Google"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-submitted", ["b", "c", "a"]),
        ("submitted", ["a", "c", "b"]),
        ("title", ["a", "b", "c"]),
        ("-title", ["c", "b", "a"]),
        ("-published", ["c", "a", "b"]),
        ("published", ["a", "c", "b"]),
    ],
)
def test_sorts(sort, expected):
    today = timezone.localdate()
    submitted_on(SourceFactory(title="a", published_on=date(2024, 1, 1)), today - timedelta(days=2))
    submitted_on(SourceFactory(title="c", published_on=date(2025, 1, 1)), today - timedelta(days=1))
    submitted_on(SourceFactory(title="b", published_on=None), today)
    assert titles({"sort": sort}) == expected


def test_filters_combine():
    theme = ThemeFactory(name="energy")
    hit = SourceFactory(title="solar", status=Source.Status.DONE)
    SourceThemeFactory(theme=theme, source=hit)
    SourceThemeFactory(theme=theme, source=SourceFactory(title="wind", status="failed"))
    SourceFactory(title="solar too", status=Source.Status.DONE)
    assert titles({"theme": "energy", "state": "done", "q": "solar"}) == ["solar"]


# --- Bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "line"),
    [
        ({"state": "lost"}, "State: “lost” is not a state a source can be in."),
        ({"category": "nope"}, "Category: no category is named “nope”"),
        ({"type": "nope"}, "Type: no source type is named “nope”"),
        ({"theme": "nope"}, "Theme: no theme is named “nope”"),
        ({"submitter": "nobody"}, "Submitted by: no user is called “nobody”"),
        ({"date_from": "31/12/2025"}, "Submitted from: Enter a date as YYYY-MM-DD."),
        ({"date_to": "soon"}, "Submitted until: Enter a date as YYYY-MM-DD."),
        (
            {"date_from": "2026-02-01", "date_to": "2026-01-01"},
            "Submitted until: The end date is before the start date.",
        ),
        ({"sort": "size"}, "Sort: “size” is not a way to sort; use one listed."),
        ({"page": "two"}, "Page: Enter a page number (1, 2, …)."),
        ({"page": "0"}, "Page: Ensure this value is greater than or equal to 1."),
        ({"q": "x" * 201}, "Words: Ensure this value has at most 200 characters"),
    ],
)
def test_bad_input_names_the_field(params, line):
    form = source_filter(params)
    assert form.error_lines()[0].startswith(line)


def test_the_valid_parameters_are_kept_when_one_is_bad():
    SourceFactory(title="failed", status=Source.Status.FAILED)
    SourceFactory(title="done")
    form = source_filter({"state": "failed", "theme": "nope"})
    assert list(form.errors) == ["theme"]
    assert [s.title for s in sources_filtered(form.cleaned_data)] == ["failed"]


def test_empty_parameters_mean_any():
    SourceFactory(title="one")
    form = SourceFilterForm({key: "" for key in SourceFilterForm.base_fields})
    assert form.is_valid()
    assert form.cleaned_data["sort"] == "-submitted"
    assert [s.title for s in sources_filtered(form.cleaned_data)] == ["one"]


def test_sources_filtered_takes_a_partial_dict():
    SourceFactory(title="one", status=Source.Status.FAILED)
    assert [s.title for s in sources_filtered({"state": "failed"})] == ["one"]
    assert not sources_filtered({"state": "done"}).exists()
