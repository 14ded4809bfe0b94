"""Cached figures equal freshly counted ones after every kind of change (apps/knowledge/cache.py).

These tests commit for real (transactional_db): the cache generation moves when a change
commits, which a test wrapped in one transaction never does.
"""

import io
from datetime import date

import pytest

from apps.core.dashboard import counts, dashboard
from apps.knowledge import cache
from apps.knowledge.explorer import _filtered, _theme_facets, filtered_count, theme_facets
from apps.knowledge.findings import finding_delete, theme_link_add, theme_link_remove
from apps.knowledge.models import Signal, Theme
from apps.knowledge.related import _theme_relations, theme_relations
from apps.knowledge.selectors import _theme_totals, theme_totals
from apps.knowledge.themes import theme_merge, theme_relate
from apps.records.backup import backup_restore, backup_write
from apps.records.parser import parse_record
from apps.records.services import record_import
from apps.sources.models import Source, SourceTheme
from tests.accounts.factories import UserFactory
from tests.factories import SignalFactory, SourceFactory, SourceThemeFactory, ThemeFactory
from tests.records.conftest import SEED

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def base():
    """Two themes on two sources with three signals; the figures cached once."""
    energy, cities = ThemeFactory(name="energy"), ThemeFactory(name="cities")
    first, second = SourceFactory(), SourceFactory()
    SourceThemeFactory(source=first, theme=energy)
    SourceThemeFactory(source=second, theme=cities)
    for source in (first, second, first):
        SignalFactory(source=source, relevancy=3)
    _read_all(energy, cities)
    return {"energy": energy, "cities": cities, "first": first, "second": second}


def _filters(*themes) -> list[dict]:
    return [{}, {"theme": list(themes)}, {"theme": list(themes), "theme_scope": "own"}]


def _read_all(*themes) -> dict:
    """Every cached figure, read through the cache (fills it when empty)."""
    cache.forget_state()
    figures = {"dashboard": [(c.key, c.value) for c in dashboard().counts]}
    for theme in themes:
        figures[f"totals {theme.pk}"] = theme_totals(theme)
        figures[f"related {theme.pk}"] = _related(theme_relations(theme))
        for cleaned in _filters(theme):
            figures[f"count {theme.pk} {cleaned}"] = filtered_count("signals", cleaned)
            figures[f"facets {theme.pk} {cleaned}"] = _facets(theme_facets("signals", cleaned))
    return figures


def _recounted(*themes) -> dict:
    """The same figures counted again from the tables, bypassing the cache."""
    figures = {"dashboard": [(c.key, c.value) for c in counts()]}
    for theme in themes:
        figures[f"totals {theme.pk}"] = _theme_totals(theme)
        figures[f"related {theme.pk}"] = _related(_theme_relations(theme))
        for cleaned in _filters(theme):
            figures[f"count {theme.pk} {cleaned}"] = _filtered("signals", cleaned).count()
            facets = _theme_facets("signals", cleaned, limit=30)
            figures[f"facets {theme.pk} {cleaned}"] = _facets(facets)
    return figures


def _facets(facets) -> list:
    return [(f.theme.pk, f.count, f.own, f.selected) for f in facets]


def _related(relations: dict) -> list:
    return [(r.theme.pk, r.shared_sources) for group in relations.values() for r in group]


def _assert_current(*slugs: str) -> None:
    themes = list(Theme.objects.filter(slug__in=slugs).order_by("slug"))
    assert _read_all(*themes) == _recounted(*themes)


def test_the_cache_serves_the_same_figures_without_counting_again(
    base, django_assert_max_num_queries
):
    energy = base["energy"]
    with django_assert_max_num_queries(1):  # the generation only
        cache.forget_state()
        filtered_count("signals", {"theme": [energy]})
        theme_facets("signals", {"theme": [energy]})
        theme_totals(energy)


def test_adding_and_removing_a_finding_theme_updates_the_figures(base):
    editor = UserFactory(role="editor")
    signal = Signal.objects.filter(source=base["second"]).first()
    theme_link_add(item=signal, name="energy", user=editor)
    _assert_current("energy", "cities")
    theme_link_remove(item=signal, theme=base["energy"], user=editor)
    _assert_current("energy", "cities")


def test_adding_and_removing_a_source_theme_updates_the_figures(base):
    editor = UserFactory(role="editor")
    theme_link_add(item=base["second"], name="energy", user=editor)
    _assert_current("energy", "cities")
    theme_link_remove(item=base["first"], theme=base["energy"], user=editor)
    _assert_current("energy", "cities")


def test_merging_themes_updates_the_figures(base):
    theme_merge(base["cities"], into=base["energy"], user=UserFactory(role="editor"))
    _assert_current("energy", "cities")


def test_relating_themes_updates_the_related_list(base):
    theme_relate(theme=base["energy"], other=base["cities"], user=UserFactory(role="editor"))
    _assert_current("energy", "cities")


def test_deleting_a_finding_and_a_source_updates_the_figures(base):
    signal = Signal.objects.filter(source=base["first"]).first()
    finding_delete(finding=signal, user=UserFactory(role="editor"))
    _assert_current("energy", "cities")
    base["second"].delete()
    _assert_current("energy", "cities")


def test_changing_a_source_date_updates_the_dated_counts(base):
    cleaned = {"date_from": date(2031, 1, 1)}
    assert filtered_count("signals", cleaned) == 0
    base["first"].published_on = date(2031, 5, 1)
    base["first"].save()
    cache.forget_state()
    assert filtered_count("signals", cleaned) == 2
    assert (
        list(Signal.objects.filter(source=base["first"]).values_list("sort_date", flat=True))
        == [date(2031, 5, 1)] * 2
    )


def test_an_import_updates_the_figures(base):
    record_import(parse_record(SEED.read_text(encoding="utf-8")))
    themes = Theme.objects.values_list("slug", flat=True)
    _assert_current(*themes)


def test_a_restore_updates_the_figures(base):
    out = io.BytesIO()
    backup_write(out)
    Source.objects.all().delete()
    _assert_current("energy", "cities")
    backup_restore(io.BytesIO(out.getvalue()))
    _assert_current("energy", "cities")


def test_the_recount_command_retires_every_cached_figure(base):
    from django.core.management import call_command

    # bulk_create sends no model signals: the cache cannot know until told.
    SourceTheme.objects.bulk_create([SourceTheme(source=base["second"], theme=base["energy"])])
    assert theme_totals(base["energy"]) != _theme_totals(base["energy"])
    call_command("recount", stdout=io.StringIO())
    _assert_current("energy", "cities")
