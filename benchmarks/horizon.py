"""Horizon benchmark: /trends/, /trends/emerging/ and /radar/ on the browse benchmark's base.

    .venv/bin/python benchmarks/horizon.py [--size F] [--runs N]

Builds the browse benchmark's synthetic base (at --size 1: 5,000 sources over two years,
20,000 signals, 5,000 technologies, 300 themes) in a fresh database, then measures each page
through Django's test Client as an editor, beside its baseline: the selectors the view calls,
without forms or templates. Prints median and p95 latency, queries and size; writes nothing.
Needs an empty database (DATABASE_URL); deletes what it builds.
"""

import argparse
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(PROJECT_DIR)
elif str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

import shutil  # noqa: E402
import tempfile  # noqa: E402

from benchmarks.environment import activate, bench_environment, describe_setup, migrate  # noqa: E402


def cases(base) -> list:
    from django.utils import timezone

    from apps.radar.selectors import radar
    from apps.trends.emerging import emerging_themes
    from apps.trends.forms import TrendFilterForm
    from apps.trends.selectors import category_series, overall_series, theme_series
    from benchmarks.browse_cases import Browser
    from benchmarks.browse_measure import Case

    browser = Browser(base)
    today = timezone.localdate()
    slugs = [theme.slug for theme in base.big_themes]

    def trends(params: dict):
        form = TrendFilterForm(params)
        form.is_valid()
        cleaned = form.applied()
        return lambda: (overall_series(cleaned), theme_series(cleaned), category_series(cleaned))

    def page(url: str):
        return lambda: browser.get(browser.pages, url)

    two = "&".join(f"theme={slug}" for slug in slugs)
    return [
        Case("trends, 26 weeks", page("/trends/"), trends({}), "the three selectors"),
        Case(
            "trends, 24 months, 2 themes",
            page(f"/trends/?period=month&date_from={today.replace(year=today.year - 2)}&{two}"),
            trends(
                {
                    "period": "month",
                    "date_from": str(today.replace(year=today.year - 2)),
                    "theme": slugs,
                }
            ),
            "the three selectors",
        ),
        Case(
            "emerging, 4 + 12 weeks",
            page("/trends/emerging/"),
            lambda: emerging_themes(period="week", as_of=today, recent=4, baseline=12),
            "emerging_themes()",
        ),
        Case(
            "radar, all time",
            page("/radar/"),
            lambda: radar(themes=[], period="", as_of=today),
            "radar()",
        ),
        Case(
            "radar CSV",
            page("/radar/radar.csv"),
            lambda: radar(themes=[], period="", as_of=today),
            "radar()",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    temp_dir = Path(tempfile.mkdtemp(prefix="spyglass-horizon-"))
    try:
        env = bench_environment(temp_dir / "var", ALLOWED_HOSTS="testserver")
        print(f"Setup: {describe_setup(env)['database']}")
        migrate(env)
        activate(env)
        from benchmarks import browse_data
        from benchmarks.browse_measure import measure

        if not browse_data.is_empty():
            print("Give an empty database: the benchmark deletes what it builds.")
            return 1
        try:
            base = browse_data.build_base(args.size)
            print(", ".join(f"{v:,} {k}" for k, v in base.counts.items()))
            print(f"{'case':30} {'median':>9} {'p95':>9} {'queries':>7} {'KB':>7} {'baseline':>9}")
            for case in cases(base):
                row = measure(case, args.runs).figures()
                print(
                    f"{row['name']:30} {row['median_ms']:7.1f}ms {row['p95_ms']:7.1f}ms "
                    f"{row['queries']:7} {row['answer_kb']:7.1f} {row['baseline_median_ms']:7.1f}ms"
                )
        finally:
            browse_data.wipe_knowledge()
            browse_data.remove_users()
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
