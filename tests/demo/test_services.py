"""generate_demo_data: the counts asked for, a seed's determinism, the shapes of real records."""

import statistics
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from apps.core.models import Origin
from apps.demo.models import DemoDataset
from apps.demo.services import _analyze
from apps.knowledge import drafts
from apps.knowledge.models import Behavior, Issue, Signal, Technology, Theme, ThemeAlias
from apps.knowledge.resolve import resolve_theme
from apps.sources.models import Source, SourceTheme
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db
UNTIL = "2026-06-30"


def generate(sources=60, per_source=4, themes=40, seed=1, *extra: str) -> None:
    call_command(
        "generate_demo_data",
        *("--sources", str(sources), "--findings-per-source", str(per_source)),
        *("--themes", str(themes), "--seed", str(seed), "--until", UNTIL, *extra),
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )


def snapshot() -> list:
    return [
        list(Source.objects.order_by("pk").values_list("title", "summary", "submitted_at")),
        list(Signal.objects.order_by("pk").values_list("name", "relevancy", "confidence")),
        list(SourceTheme.objects.order_by("pk").values_list("theme__name", "source__title")),
        sorted(Theme.objects.values_list("name", "status")),
    ]


def test_it_writes_the_counts_asked_for():
    generate(sources=60, per_source=4, themes=40)

    assert Source.objects.count() == 60
    assert Signal.objects.count() == 240  # --findings-per-source signals per source
    assert [m.objects.count() for m in (Behavior, Technology, Issue)] == [60, 60, 60]
    assert Theme.objects.count() == 40
    assert {"approved", "proposed"} == set(Theme.objects.values_list("status", flat=True))
    dataset = DemoDataset.objects.get()
    assert dataset.counts["sources_source"] == 60


def test_a_seed_gives_the_same_base_and_another_seed_another():
    generate(seed=7)
    first = snapshot()
    call_command("generate_demo_data", "--clear", stdout=open("/dev/null", "w"))  # noqa: SIM115
    generate(seed=7)
    assert snapshot() == first
    call_command("generate_demo_data", "--clear", stdout=open("/dev/null", "w"))  # noqa: SIM115
    generate(seed=8)
    assert snapshot() != first


def test_theme_use_has_a_few_big_themes_and_a_long_tail():
    generate(sources=400, per_source=1, themes=60)

    uses = sorted(
        SourceTheme.objects.values("theme").annotate(n=Count("id")).values_list("n", flat=True),
        reverse=True,
    )
    assert uses[0] >= 5 * statistics.median(uses)
    # Only approved themes carry links; proposed ones wait as suggestions.
    assert not SourceTheme.objects.exclude(theme__status="approved").exists()


def test_dates_span_ten_years_up_to_the_last_day():
    generate(sources=400, per_source=1)

    dates = Source.objects.values_list("submitted_at", flat=True)
    assert max(dates).date() <= date.fromisoformat(UNTIL)
    assert (max(dates) - min(dates)).days > 8 * 365
    assert not Signal.objects.filter(
        created_at__lt=Source.objects.order_by("submitted_at").values("submitted_at")[:1]
    ).exists()


def test_relevancy_is_mostly_two_or_three_and_rarely_five():
    generate(sources=200, per_source=5)

    counts = dict(Signal.objects.values_list("relevancy").annotate(n=Count("id")))
    total = sum(counts.values())
    assert (counts.get(2, 0) + counts.get(3, 0)) / total > 0.5
    assert counts.get(5, 0) / total < 0.15


def test_machine_drafts_reviewed_imported_and_editor_findings_are_all_there():
    generate(sources=200, per_source=5)

    draft = drafts.unreviewed() & ~drafts.trusted()
    assert Signal.objects.filter(draft).exists()
    assert Signal.objects.filter(origin=Origin.AI, reviewed_at__isnull=False).exists()
    assert Signal.objects.filter(origin=Origin.IMPORT).exists()
    assert Signal.objects.filter(origin=Origin.EDITOR).exists()


def test_an_alias_finds_its_theme():
    generate(sources=20, themes=400)

    alias = ThemeAlias.objects.select_related("theme").first()
    assert alias is not None
    resolved = resolve_theme(alias.key)
    assert alias.theme in (resolved.theme, resolved.redirect_to)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--sources", "0"], "--sources"),
        (["--sources", "5", "--themes", "1"], "--themes"),
        (["--sources", "5", "--findings-per-source", "-1"], "--findings-per-source"),
        (["--sources", "5", "--findings-per-source", "nan"], "--findings-per-source"),
        ([], "--sources"),
        (["--sources", "5", "--until", "31/12/2026"], "YYYY-MM-DD"),
    ],
)
def test_it_refuses_bad_arguments_and_writes_nothing(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_demo_data", *arguments)
    assert not Source.objects.exists() and not Theme.objects.exists()


def test_it_refuses_a_base_with_real_data_unless_forced_and_clear_keeps_it():
    real = SourceFactory()

    with pytest.raises(CommandError, match="--force"):
        generate(sources=10)
    assert Source.objects.count() == 1

    generate(10, 4, 40, 1, "--force")
    assert Source.objects.count() == 11
    call_command("generate_demo_data", "--clear", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Source.objects.all()) == [real]


def test_it_asks_for_clear_before_generating_again():
    generate(sources=10)

    with pytest.raises(CommandError, match="--clear"):
        generate(sources=10)
    generate(10, 4, 40, 2, "--clear")
    assert DemoDataset.objects.get().seed == 2


@pytest.mark.django_db(transaction=True)
def test_the_new_rows_are_vacuumed_so_index_only_scans_need_not_read_the_table():
    with CaptureQueriesContext(connection) as queries:
        _analyze()

    wanted = "VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "PRAGMA optimize"
    assert [query["sql"] for query in queries] == [wanted]
