"""The explorer's filter form and selectors (the pages' tests are in test_explore_views.py)."""

from datetime import date

import pytest
from django.utils import timezone

from apps.knowledge.explorer import (
    KINDS,
    FindingFilterForm,
    carried_themes,
    findings_filtered,
    theme_facets,
)
from apps.knowledge.models import FINDING_MODELS, BehaviorTheme
from tests.factories import (
    BehaviorFactory,
    CategoryFactory,
    SignalFactory,
    SignalThemeFactory,
    SourceFactory,
    SourceThemeFactory,
    SourceTypeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def cleaned(**data) -> dict:
    form = FindingFilterForm(data)
    assert form.is_valid(), form.errors
    return form.applied()


def names(kind: str = "signals", **data) -> list[str]:
    return [finding.name for finding in findings_filtered(kind, cleaned(**data))]


@pytest.fixture
def themes():
    return ThemeFactory(name="energy"), ThemeFactory(name="cities"), ThemeFactory(name="food")


def test_kinds_are_the_finding_models():
    assert KINDS == ("signals", "behaviors", "technologies", "issues")
    assert set(KINDS) == set(FINDING_MODELS)


def test_no_filter_lists_every_finding_of_the_kind_by_relevancy():
    SignalFactory(name="low", relevancy=2)
    SignalFactory(name="high", relevancy=5)
    SignalFactory(name="unknown", relevancy=None)
    BehaviorFactory(name="a behavior")

    assert names() == ["high", "low", "unknown"]
    assert names("behaviors") == ["a behavior"]


def test_a_theme_matches_through_the_finding_or_its_source(themes):
    energy, _cities, _ = themes
    own = SignalFactory(name="own link")
    SignalThemeFactory(signal=own, theme=energy)
    inherited = SignalFactory(name="source link")
    SourceThemeFactory(source=inherited.source, theme=energy)
    SignalFactory(name="other")

    assert sorted(names(theme=["energy"])) == ["own link", "source link"]


def test_any_and_all_of_two_themes(themes):
    energy, cities, _ = themes
    both = SignalFactory(name="both")
    SignalThemeFactory(signal=both, theme=energy)
    SourceThemeFactory(source=both.source, theme=cities)
    only = SignalFactory(name="energy only")
    SignalThemeFactory(signal=only, theme=energy)

    assert sorted(names(theme=["energy", "cities"])) == ["both", "energy only"]
    assert names(theme=["energy", "cities"], match="all") == ["both"]


def test_category_type_source_relevancy_and_dates():
    news = SourceTypeFactory(name="news")
    paper = SourceTypeFactory(name="paper")
    society = CategoryFactory(name="society")
    old = SourceFactory(published_on=date(2020, 5, 1), source_type=paper, category=society)
    new = SourceFactory(published_on=date(2026, 3, 1), source_type=news)
    SignalFactory(name="old", source=old, relevancy=4)
    SignalFactory(name="new", source=new, relevancy=2)

    assert names(category="society") == ["old"]
    assert names(type="news") == ["new"]
    assert names(source=str(old.pk)) == ["old"]
    assert names(min_relevancy="3") == ["old"]
    assert names(date_from="2021-01-01") == ["new"]
    assert names(date_to="2021-01-01") == ["old"]


def test_date_falls_back_to_the_day_of_submission():
    source = SourceFactory(published_on=None)
    SignalFactory(name="undated", source=source)
    today = timezone.localdate().isoformat()

    assert names(date_from=today, date_to=today) == ["undated"]
    assert names(date_to="2000-01-01") == []


def test_text_searches_every_word_in_name_description_and_signal_fields():
    SignalFactory(name="Heat pumps", description="", change="cheaper", driving_force="")
    SignalFactory(name="Solar", description="pumps water", driving_force="", change="")
    SignalFactory(name="Wind", description="", driving_force="cheaper pumps")
    BehaviorFactory(name="Walking", description="cheaper pumps")

    assert sorted(names(q="pumps")) == ["Heat pumps", "Solar", "Wind"]
    assert sorted(names(q="PUMPS cheaper")) == ["Heat pumps", "Wind"]
    assert names("behaviors", q="cheaper") == ["Walking"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-relevancy", ["b", "c", "a"]),
        ("relevancy", ["a", "c", "b"]),
        ("name", ["a", "b", "c"]),
        ("-name", ["c", "b", "a"]),
        ("-date", ["c", "a", "b"]),
        ("date", ["b", "a", "c"]),
    ],
)
def test_sort(sort, expected):
    SignalFactory(name="a", relevancy=1, source=SourceFactory(published_on=date(2024, 1, 1)))
    SignalFactory(name="b", relevancy=5, source=SourceFactory(published_on=date(2023, 1, 1)))
    SignalFactory(name="c", relevancy=3, source=SourceFactory(published_on=date(2025, 1, 1)))

    assert names(sort=sort) == expected


def test_form_reports_each_bad_field_and_keeps_the_valid_ones(themes):
    form = FindingFilterForm(
        {
            "theme": ["energy", "no-such-theme"],
            "min_relevancy": "9",
            "date_from": "yesterday",
            "category": "nonsense",
            "sort": "price",
            "q": "solar",
        }
    )

    assert not form.is_valid()
    assert set(form.errors) == {"theme", "min_relevancy", "date_from", "category", "sort"}
    assert "no-such-theme" in form.errors["theme"][0]
    applied = form.applied()
    assert [t.slug for t in applied["theme"]] == ["energy"]
    assert applied["q"] == "solar"
    assert applied["sort"] == "-relevancy"
    assert "min_relevancy" not in applied


def test_an_end_date_before_the_start_is_refused():
    form = FindingFilterForm({"date_from": "2025-02-01", "date_to": "2025-01-01"})

    assert not form.is_valid()
    assert "date_to" in form.errors


def test_cleaned_may_name_themes_by_slug(themes):
    signal = SignalFactory(name="tagged")
    SignalThemeFactory(signal=signal, theme=themes[0])
    SignalFactory(name="untagged")

    found = findings_filtered("signals", {"theme": ["energy"]})

    assert [f.name for f in found] == ["tagged"]


def test_facets_count_each_finding_once_per_theme(themes):
    energy, cities, food = themes
    twice = SignalFactory(name="linked twice")
    SignalThemeFactory(signal=twice, theme=energy)
    SourceThemeFactory(source=twice.source, theme=energy)
    SourceThemeFactory(source=twice.source, theme=cities)
    other = SignalFactory(name="other", source=twice.source)
    SignalThemeFactory(signal=other, theme=food)
    behavior = BehaviorFactory()
    BehaviorTheme.objects.create(behavior=behavior, theme=food)

    facets = theme_facets("signals", cleaned())

    assert [(f.theme.name, f.count) for f in facets] == [
        ("cities", 2),
        ("energy", 2),
        ("food", 1),
    ]


def test_facets_follow_the_filter_and_mark_the_chosen_themes(themes):
    energy, cities, _ = themes
    source = SourceFactory()
    SourceThemeFactory(source=source, theme=energy)
    hit = SignalFactory(source=source, relevancy=5)
    SignalThemeFactory(signal=hit, theme=cities)
    SignalFactory(source=source, relevancy=1)

    facets = theme_facets("signals", cleaned(theme=["cities"], min_relevancy="4"))

    assert {(f.theme.name, f.count, f.selected) for f in facets} == {
        ("cities", 1, True),
        ("energy", 1, False),
    }


def test_carried_themes_joins_own_and_source_themes(themes):
    energy, cities, _ = themes
    signal = SignalFactory()
    SignalThemeFactory(signal=signal, theme=energy)
    SourceThemeFactory(source=signal.source, theme=energy)
    SourceThemeFactory(source=signal.source, theme=cities)

    found = findings_filtered("signals", cleaned()).get()

    assert [t.name for t in carried_themes(found)] == ["energy", "cities"]


def test_form_takes_a_plain_dict_with_one_theme(themes):
    form = FindingFilterForm({"theme": "energy", "min_relevancy": 4})

    assert form.is_valid(), form.errors
    assert [t.name for t in form.cleaned_data["theme"]] == ["energy"]
    assert form.cleaned_data["min_relevancy"] == 4


def test_old_slugs_of_merged_themes_still_filter(themes):
    energy = themes[0]
    old = ThemeFactory(name="power", status="merged", merged_into=energy)

    form = FindingFilterForm({"theme": [old.slug]})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["theme"] == [energy]
