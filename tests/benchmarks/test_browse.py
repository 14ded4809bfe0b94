"""The browse benchmark's cases at a tiny size, on the test database (no subprocess)."""

import pytest

from benchmarks import browse, browse_data
from benchmarks.browse_cases import page_cases
from benchmarks.browse_measure import Case, measure, steady, verdicts

pytestmark = pytest.mark.django_db


def test_every_case_answers_or_says_it_is_not_available(capsys):
    base, load = browse_data.ensure_base(0.004, seed=3, progress=print)
    assert load["reused"] is False and base.counts["sources"] == 20

    rows = [measure(case, runs=2).figures() for case in page_cases(base)]

    names = [row["name"] for row in rows]
    assert "dashboard" in names and "source page" in names
    for row in rows:
        if row["available"]:
            assert not row["problem"], row
            assert row["runs"] == 2 and row["queries"] > 0 and row["peak_mb"] > 0
            assert row["sql_median_ms"] <= row["median_ms"]
            assert set(verdicts(row)) == {"p95", "outside_sql", "queries", "memory"}
        else:
            assert "not available" in row["problem"]
    browse.report(
        {
            "counts": base.counts,
            "setup": {"database": "test"},
            "load_average_1min": {},
            "pages": rows,
        }
    )
    printed = capsys.readouterr().out
    assert "PASS" in printed or "MISS" in printed


def test_a_second_run_at_the_same_size_reuses_the_base_and_another_size_replaces_it():
    browse_data.ensure_base(0.004, seed=3, progress=print)

    _, again = browse_data.ensure_base(0.004, seed=3, progress=print)
    base, other = browse_data.ensure_base(0.006, seed=3, progress=print)

    assert again["reused"] is True
    assert other["reused"] is False and base.counts["sources"] == 30


def test_an_export_is_steady_when_its_peak_does_not_follow_its_rows():
    assert steady(big_mb=4.0, small_mb=3.0)
    assert not steady(big_mb=30.0, small_mb=3.0)


def test_an_export_case_runs_at_most_its_own_number_of_times():
    calls = []
    case = Case("export", run=lambda: calls.append(1) or b"x", export=True, max_runs=3)

    row = measure(case, runs=50).figures()

    assert row["runs"] == 3
    assert len(calls) == 1 + 3 + 1  # the warm-up, the timed runs, the one under tracemalloc


def test_the_csv_baseline_writes_every_row_of_the_theme():
    base, _ = browse_data.ensure_base(0.004, seed=3, progress=print)
    export = next(case for case in page_cases(base) if case.name.startswith("CSV export, big"))

    body = export.run()

    assert export.baseline() == pytest.approx(body.size, rel=0.2)


def test_the_benchmarks_that_wipe_what_they_build_can_build_and_wipe_a_base():
    assert browse_data.is_empty()

    base = browse_data.build_base(0.004)
    assert not browse_data.is_empty() and base.token.plaintext
    browse_data.wipe_knowledge()
    browse_data.remove_users()

    assert browse_data.is_empty()


def test_a_streamed_answer_is_counted_but_not_kept_by_the_benchmark():
    base, _ = browse_data.ensure_base(0.004, seed=3, progress=print)
    export = next(case for case in page_cases(base) if case.name.startswith("CSV export, big"))

    body = export.run()

    assert body.size > 0 and len(body) == min(body.size, 64 * 1024)
