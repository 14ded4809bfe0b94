"""Browse benchmark: the pages (issue 5) and the API (issue 6) on a knowledge base of a size.

    .venv/bin/python benchmarks/browse.py [--size F] [--runs N] [--backup-runs N]

Builds a synthetic base (at --size 1: 5,000 sources, 20,000 signals, 5,000 each of
behaviors, technologies and issues, 300 themes, their links) in a fresh database, then
measures, each beside a baseline run in turn with it in the same process:

- the dashboard, the explorer (no filter, one theme, two themes "all", text search, minimum
  relevancy + this year), the explorer's HTMX fragment, the sources list with filters and a
  theme page, through Django's test Client as a logged-in editor;
- the API's findings list (limit 100) and the CSV export of a theme's signals, with a token;
- backup_write of the whole base, and backup_restore into an emptied base.

Median and p95 latency, queries per request, answer size and the ratio to the baseline are
printed and written to benchmarks/results/browse-<timestamp>.json. Needs no corpus. Exits 0
whatever the figures; non-zero when it cannot run (e.g. the database is not empty).
"""

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

# Run as a script (`python benchmarks/browse.py`): import from the project root, and do not
# let this folder's module names shadow installed packages.
PROJECT_DIR = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(PROJECT_DIR)
elif str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from benchmarks.environment import activate, bench_environment, describe_setup, migrate  # noqa: E402

RESULTS_DIR = PROJECT_DIR / "benchmarks" / "results"
SLOW_MS = 1000  # a page slower than this at the default size is a problem worth reporting
MANY_QUERIES = 30


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    load_before = _load()
    if load_before > 0.5:
        print(f"Note: load average {load_before} before the run: the figures will be noisy.")
    temp_dir = Path(tempfile.mkdtemp(prefix="spyglass-browse-"))
    try:
        env = bench_environment(
            temp_dir / "var", ALLOWED_HOSTS="testserver", SPYGLASS_API_RATE_LIMIT="0"
        )
        setup = describe_setup(env)
        print(f"Setup: {setup['database']}; temp dir {temp_dir}")
        migrate(env)
        activate(env)
        figures = run(args)
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)
    if figures is None:
        return 1
    figures.update(
        setup=setup,
        size=args.size,
        load_average_1min={"before": load_before, "after": _load()},
        python=platform.python_version(),
        cpus=os.cpu_count(),
    )
    report(figures)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"browse-{stamp}.json"
    path.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nFigures written to {path.relative_to(PROJECT_DIR)}")
    return 0


def run(args: argparse.Namespace) -> dict | None:
    """Build, measure, clean up; None when the database already holds data."""
    from django.utils import timezone

    from benchmarks import browse_data
    from benchmarks.browse_backup import base_counts, measure_backup, measure_restore, peak_rss_mb
    from benchmarks.browse_cases import measure, page_cases

    if not browse_data.is_empty():
        print(
            "The database already holds sources, themes or the benchmark's users: give an "
            "empty one (a fresh DATABASE_URL database), the benchmark deletes what it builds."
        )
        return None
    started_at = timezone.now()
    try:
        print(f"Building the base (size {args.size}) ...")
        started = time.perf_counter()
        base = browse_data.build_base(args.size)
        build_seconds = time.perf_counter() - started
        counts = base_counts()
        print(f"  {_counts_line(counts)} in {build_seconds:.1f} s")
        print(f"  themes used: {', '.join(t.slug for t in base.big_themes)}")
        pages = []
        for case in page_cases(base):
            measured = measure(case, case.runs or args.runs)
            pages.append(measured.figures())
            row = pages[-1]
            print(f"  {row['name']}: {row['median_ms']} ms, {row['queries']} queries")
        print("backup_write ...")
        backup, data = measure_backup(args.backup_runs)
        print(f"  {backup['median_s']} s")
        print("backup_restore ...")
        restore = measure_restore(data, counts, base.editor, args.restore_runs)
        print(f"  {restore['median_s']} s")
    finally:
        browse_data.wipe_knowledge(audit_since=started_at)
        browse_data.remove_users()
    return {
        "counts": counts,
        "build_seconds": round(build_seconds, 1),
        "pages": pages,
        "backup": backup,
        "restore": restore,
        "peak_rss_mb": peak_rss_mb(),
    }


def _counts_line(counts: dict) -> str:
    return ", ".join(f"{value:,} {name}" for name, value in counts.items())


def report(figures: dict) -> None:
    print(f"\nBase: {_counts_line(figures['counts'])} (built in {figures['build_seconds']} s)")
    print(f"Setup: {figures['setup']['database']}; load {figures['load_average_1min']}")
    header = f"{'case':38} {'median':>8} {'p95':>8} {'queries':>7} {'KB':>7}"
    print(f"\n{header} {'baseline':>9} {'b.q':>4} {'ratio':>6}")
    for row in figures["pages"]:
        print(
            f"{row['name']:38} {row['median_ms']:6.1f}ms {row['p95_ms']:6.1f}ms "
            f"{row['queries']:7} {row['answer_kb']:7.1f} {row['baseline_median_ms']:7.1f}ms "
            f"{row['baseline_queries']:4} {row['ratio']:6.2f}"
        )
    print("  baselines: " + "; ".join(sorted({row["baseline"] for row in figures["pages"]})))
    backup, restore = figures["backup"], figures["restore"]
    print(
        f"\nbackup_write: {backup['median_s']} s median of {backup['runs']} "
        f"(max {backup['max_s']}), {backup['queries']} queries, {backup['zip_mb']} MB zip, "
        f"peak RSS +{backup['rss_growth_mb']} MB (zip in memory); baseline "
        f"{backup['baseline_median_s']} s ({backup['baseline_queries']} queries): "
        f"ratio {backup['ratio']}"
    )
    print(
        f"backup_restore: {restore['median_s']} s ({restore['records_per_s']} records/s, "
        f"{restore['queries_per_record']} queries per record); "
        f"record_import baseline {restore['baseline_median_s']} s "
        f"({restore['baseline_queries_per_record']} queries per record): ratio {restore['ratio']}"
    )
    print(f"Peak RSS of the process: {figures['peak_rss_mb']} MB")
    problems = _problems(figures)
    print("\nProblems" if problems else "\nNo page over 1 s, no answer with a problem.")
    for line in problems:
        print(f"  {line}")


def _problems(figures: dict) -> list[str]:
    lines = []
    for row in figures["pages"]:
        if row["median_ms"] > SLOW_MS:
            lines.append(f"{row['name']}: median {row['median_ms']} ms > {SLOW_MS} ms")
        if row["queries"] > MANY_QUERIES:
            lines.append(f"{row['name']}: {row['queries']} queries")
        if row["problem"]:
            lines.append(f"{row['name']}: {row['problem']}")
    if figures["restore"]["problem"]:
        lines.append(f"backup_restore: {figures['restore']['problem']}")
    return lines


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size", type=float, default=1.0, help="scale of the base (1 = 5,000 sources)"
    )
    parser.add_argument("--runs", type=int, default=15, help="timed runs per page (15)")
    parser.add_argument("--backup-runs", type=int, default=1, help="timed backup_write runs (1)")
    parser.add_argument("--restore-runs", type=int, default=1, help="timed restores (1)")
    args = parser.parse_args(argv)
    if args.size <= 0 or min(args.runs, args.backup_runs, args.restore_runs) < 1:
        parser.error("--size must be positive and every --*runs at least 1")
    return args


if __name__ == "__main__":
    sys.exit(main())
