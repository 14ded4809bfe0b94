"""The three SQL forms of a theme filter (apps/knowledge/theme_filter.py) find the same
findings in the same order, and the explorer's theme_form() picks the one the counts call
for."""

import pytest
from django.core.cache import cache

from apps.knowledge import explorer
from apps.knowledge.explorer import SORTS, theme_form
from apps.knowledge.theme_filter import HASHED, LISTED, PROBED, table_size
from tests.factories import SignalFactory, SourceFactory, SourceThemeFactory, ThemeFactory

pytestmark = pytest.mark.django_db
FORMS = (HASHED, PROBED, LISTED)


@pytest.fixture
def themes():
    """Findings carrying a theme themselves, through their source, both ways, or not."""
    energy, water, idle = ThemeFactory(name="energy"), ThemeFactory(name="water"), ThemeFactory()
    for i in range(12):
        source = SourceFactory(title=f"source {i}")
        if i % 3 == 0:
            SourceThemeFactory(source=source, theme=energy)
        if i % 4 == 0:
            SourceThemeFactory(source=source, theme=water)
        for j in range(3):
            signal = SignalFactory(source=source, name=f"signal {i}.{j}", relevancy=1 + (i + j) % 5)
            if (i + j) % 5 == 0:
                signal.themes.add(energy)
            if (i + j) % 7 == 0:
                signal.themes.add(water)
    return energy, water, idle


def _ids(cleaned: dict, form: str) -> list[int]:
    findings = explorer._filtered("signals", cleaned, form)
    return list(
        findings.order_by(*explorer._ordering(cleaned.get("sort", "-relevancy"))).values_list(
            "pk", flat=True
        )
    )


@pytest.mark.parametrize("sort", list(SORTS))
def test_every_form_finds_the_same_findings_in_the_same_order(themes, sort):
    energy, water, idle = themes
    filters = [
        {"theme": [energy]},
        {"theme": [energy, water]},
        {"theme": [energy, water], "match": "all"},
        {"theme": [water], "min_relevancy": 3},
        {"theme": [idle]},
    ]
    for cleaned in filters:
        cleaned = {**cleaned, "sort": sort}
        expected = _ids(cleaned, HASHED)
        assert expected or cleaned["theme"] == [idle]
        for form in (PROBED, LISTED):
            assert _ids(cleaned, form) == expected, (form, cleaned)


def _form(monkeypatch, matches: int, total: int, rows: int, **cleaned) -> str:
    monkeypatch.setattr(explorer, "filtered_count", lambda kind, c: matches)
    monkeypatch.setattr(explorer, "table_size", lambda kind: total)
    return theme_form("signals", {"theme": [ThemeFactory()], **cleaned}, rows)


def test_a_common_theme_probes_its_first_pages(monkeypatch):
    assert _form(monkeypatch, matches=340_000, total=1_000_000, rows=100) == PROBED
    assert _form(monkeypatch, matches=340_000, total=1_000_000, rows=25) == PROBED


def test_deep_pages_and_middling_themes_hash_the_links(monkeypatch):
    assert _form(monkeypatch, matches=340_000, total=1_000_000, rows=3_100) == HASHED
    assert _form(monkeypatch, matches=31_000, total=1_000_000, rows=100) == HASHED


def test_a_rare_or_unused_theme_lists_its_findings(monkeypatch):
    assert _form(monkeypatch, matches=60, total=1_000_000, rows=100) == LISTED
    assert _form(monkeypatch, matches=0, total=1_000_000, rows=100) == LISTED


def test_without_themes_or_with_own_links_only_nothing_changes(monkeypatch):
    assert _form(monkeypatch, matches=60, total=1_000_000, rows=100, theme_scope="own") == HASHED
    monkeypatch.setattr(explorer, "filtered_count", lambda kind, cleaned: 0)
    assert theme_form("signals", {"theme": []}, 100) == HASHED


def test_the_table_size_is_counted_once_for_a_while(django_assert_num_queries):
    cache.clear()
    SignalFactory.create_batch(3)
    assert table_size("signals") == 3
    SignalFactory()
    with django_assert_num_queries(0):
        assert table_size("signals") == 3  # an estimate: it is not recounted per change
