"""Browse benchmark (issue 13): the pages and the API on a large knowledge base.

    .venv/bin/python benchmarks/browse.py [--size F] [--runs N] [--seed S] [--backup]

`--size 1` is 5,000 sources and 50,000 signals (plus 12,500 each of behaviors, technologies
and issues); `--size 20` is 100,000 sources and 1,000,000 signals. The base is demo data
(apps/demo, `generate_demo_data`), generated when the database does not hold it already and
kept for the next run: PostgreSQL in DATABASE_URL, else the SQLite file
var/bench/browse.sqlite3. Measured through Django's test Client, each beside a baseline run
in turn with it: the explorer filtered by one theme and by two themes with a minimum
relevancy, a text search and one with a typo, page 200 of the explorer, a theme page, a
source page, the dashboard, the API list of a theme's signals, and the CSV export of a
theme's signals (the biggest and a smaller one, to see whether memory grows with rows).

Per case: median and p95 server time, median time in SQL and outside it, queries, peak
Python heap (tracemalloc), checked against the issue's targets (PASS/MISS), printed and
written to benchmarks/results/browse-<timestamp>.json. `--backup` also measures
backup_write and backup_restore (the restore empties the base: the next run generates it
again). Exits 0 whatever the figures; non-zero when it cannot run (e.g. the database holds
data that is not demo data).
"""

import argparse
import json
import os
import platform
import sys
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
BENCH_DIR = PROJECT_DIR / "var" / "bench"
SQLITE_FILE = BENCH_DIR / "browse.sqlite3"


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    load_before = _load()
    if load_before > 0.5:
        print(f"Note: load average {load_before} before the run: the figures will be noisy.")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    overrides = {"ALLOWED_HOSTS": "testserver", "SPYGLASS_API_RATE_LIMIT": "0"}
    if not os.environ.get("DATABASE_URL", "").strip():
        overrides["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
    env = bench_environment(BENCH_DIR / "var", **overrides)
    setup = describe_setup(env)
    print(f"Setup: {setup['database']}")
    migrate(env)
    activate(env)
    figures = run(args)
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
    """Generate or reuse the base, measure every case; None when the database is not ours."""
    from django.core.exceptions import ValidationError

    from apps.demo.services import non_demo_data_present
    from benchmarks import browse_data
    from benchmarks.browse_cases import page_cases
    from benchmarks.browse_measure import measure, steady

    if non_demo_data_present():
        print(
            "The database holds sources or themes that are not demo data: give the benchmark "
            "a database of its own (DATABASE_URL), it generates and keeps demo data there."
        )
        return None
    try:
        base, load = browse_data.ensure_base(args.size, args.seed, progress=_say)
    except ValidationError as exc:
        print(f"Cannot generate the base: {' '.join(exc.messages)}")
        return None
    verb = "Reused" if load["reused"] else "Generated"
    print(f"{verb} the base ({load['seconds']} s to load): {_counts_line(base.counts)}")
    print(f"  themes: {', '.join(t.slug for t in base.big_themes)}; small {base.small_theme.slug}")
    pages = []
    try:
        for case in page_cases(base):
            if args.cases and not any(part in case.name for part in args.cases):
                continue
            pages.append(measure(case, args.runs, args.budget, args.min_runs).figures())
            print(f"  {_row_line(pages[-1])}", flush=True)
        exports = [row for row in pages if row.get("export") and row["available"]]
        if len(exports) == 2:
            exports[0]["steady"] = steady(exports[0]["peak_mb"], exports[1]["peak_mb"])
        backup = _backup(args, base) if args.backup else None
    finally:
        base.token.delete()
    return {"counts": base.counts, "load": load, "pages": pages, "backup": backup}


def _backup(args: argparse.Namespace, base) -> dict:
    from benchmarks.browse_backup import measure_backup, measure_restore

    print("backup_write ...")
    backup, data = measure_backup(args.backup_runs)
    print("backup_restore (empties the base: the next run generates it again) ...")
    restore = measure_restore(data, base.counts, base.editor, 1)
    return {"write": backup, "restore": restore}


def _say(line: str) -> None:
    print(f"  {line}", flush=True)


def _counts_line(counts: dict) -> str:
    return ", ".join(f"{value:,} {name}" for name, value in counts.items())


def report(figures: dict) -> None:
    from benchmarks.browse_measure import (
        TARGET_OUTSIDE_SQL_MS,
        TARGET_P95_MS,
        TARGET_QUERIES,
    )

    print(f"\nBase: {_counts_line(figures['counts'])}")
    print(f"Setup: {figures['setup']['database']}; load {figures['load_average_1min']}")
    print(
        f"Targets: p95 <= {TARGET_P95_MS} ms, median outside SQL <= {TARGET_OUTSIDE_SQL_MS} ms, "
        f"queries <= {TARGET_QUERIES}, exports at a steady memory"
    )
    print(
        f"\n{'case':40} {'median':>8} {'p95':>8} {'in SQL':>8} {'outside':>8} {'q':>3} "
        f"{'heap MB':>7} {'ratio':>6} {'runs':>4}  verdict"
    )
    for row in figures["pages"]:
        print(_row_line(row))
    print("  ratio: median / the baseline's median (same process, in turn); heap: tracemalloc")
    if figures.get("backup"):
        write, restore = figures["backup"]["write"], figures["backup"]["restore"]
        print(f"\nbackup_write: {write['median_s']} s, RSS +{write['rss_growth_mb']} MB")
        print(f"backup_restore: {restore['median_s']} s ({restore['records_per_s']} records/s)")


def _row_line(row: dict) -> str:
    from benchmarks.browse_measure import verdicts

    if not row["available"]:
        return f"{row['name']:40} {'not available':>8}  {row['problem']}"
    row["verdicts"] = verdicts(row)
    misses = [name for name, ok in row["verdicts"].items() if ok is False]
    verdict = "MISS " + ", ".join(misses) if misses else "PASS"
    note = f" ({row['note']})" if row["note"] else ""
    problem = f"\n    problem: {row['problem']}" if row["problem"] else ""
    return (
        f"{row['name']:40} {row['median_ms']:6.1f}ms {row['p95_ms']:6.1f}ms "
        f"{row['sql_median_ms']:6.1f}ms {row['outside_sql_median_ms']:6.1f}ms "
        f"{row['queries']:3} {row['peak_mb']:7.1f} {row['ratio'] or 0:6.2f} {row['runs']:4}  "
        f"{verdict}{note}{problem}"
    )


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size", type=float, default=1.0, help="scale of the base (1 = 5,000 sources)"
    )
    parser.add_argument("--runs", type=int, default=50, help="timed requests per case (50)")
    parser.add_argument(
        "--budget",
        type=float,
        default=120,
        help="seconds per case after which a slow case stops (at least 5 runs; 0: none; 120)",
    )
    parser.add_argument(
        "--min-runs", type=int, default=5, help="runs a case makes whatever the budget (5)"
    )
    parser.add_argument(
        "--cases",
        type=lambda value: [part.strip() for part in value.split(",") if part.strip()],
        default=[],
        help="only the cases whose name contains one of these comma-separated words",
    )
    parser.add_argument("--seed", type=int, default=4, help="seed of the demo data (4)")
    parser.add_argument("--backup", action="store_true", help="also time backup and restore")
    parser.add_argument("--backup-runs", type=int, default=1, help="timed backup_write runs (1)")
    args = parser.parse_args(argv)
    if args.size <= 0 or min(args.runs, args.min_runs, args.backup_runs) < 1:
        parser.error("--size must be positive and --runs, --min-runs, --backup-runs at least 1")
    return args


if __name__ == "__main__":
    sys.exit(main())
