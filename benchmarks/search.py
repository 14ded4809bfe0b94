"""Full-text search timings: the LIKE filter it replaces against the search index.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spyglass_bench_search \\
        python benchmarks/search.py --size 1 --runs 20

Builds the browse benchmark's synthetic base (benchmarks/browse_data.py: 5,000 sources and
35,000 findings at --size 1) in an empty database, then times each case: the median and
95th percentile of the wall time, and the number of queries. "before" cases run the
filter the explorer and the sources list used until the search index (UPPER(..) LIKE
'%word%' over the text columns, written out here); "after" cases run today's code. The
base is deleted at the end unless --keep (then a second run reuses it).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(PROJECT_DIR)

from benchmarks.environment import activate, bench_environment, describe_setup, migrate  # noqa: E402

WORD = "hydrogen"  # browse_data.SEARCH_WORD: in most rows, the worst case for ranking
TWO_WORDS = "hydrogen lithium"
RARE = "seagrass"  # in RARE_ROWS sources and signals added for the run: a typical search
RARE_ROWS = 20
TYPO = "seagras meadws"


def _old_findings_text(model, text: str):
    """The explorer's text filter before the index: every word in one of the fields."""
    from django.db.models import Q

    fields = ("name", "description")
    if model._meta.model_name == "signal":
        fields += ("change", "ten_year", "driving_force")
    condition = Q()
    for word in text.split():
        condition &= Q.create([(f"{field}__icontains", word) for field in fields], connector=Q.OR)
    return condition


def cases(client) -> list[tuple[str, callable]]:
    from django.db.models import Q

    from apps.knowledge.explorer import PAGE_SIZE, findings_filtered
    from apps.knowledge.models import Signal
    from apps.search.selectors import search
    from apps.sources.selectors import sources_filtered

    def old_explorer(text):
        # Today's explorer query (prefetches, order) with the old LIKE condition.
        rows = findings_filtered("signals", {}).filter(_old_findings_text(Signal, text))
        return rows.count(), list(rows[:PAGE_SIZE])

    def new_explorer(text):
        rows = findings_filtered("signals", {"q": text})
        return rows.count(), list(rows[:PAGE_SIZE])

    def old_sources(text):
        rows = sources_filtered({}).filter(
            Q(title__icontains=text) | Q(url__icontains=text) | Q(canonical_url__icontains=text)
        )
        return rows.count(), list(rows[:25])

    def new_sources(text):
        rows = sources_filtered({"q": text})
        return rows.count(), list(rows[:25])

    def page(url):
        response = client.get(url, secure=True)
        assert response.status_code == 200, response.status_code
        return response.content

    return [
        (f"before: explorer LIKE q={WORD}", lambda: old_explorer(WORD)),
        (f"after:  explorer index q={WORD}", lambda: new_explorer(WORD)),
        (f"before: explorer LIKE q={TWO_WORDS}", lambda: old_explorer(TWO_WORDS)),
        (f"after:  explorer index q={TWO_WORDS}", lambda: new_explorer(TWO_WORDS)),
        (f"before: explorer LIKE q={RARE}", lambda: old_explorer(RARE)),
        (f"after:  explorer index q={RARE}", lambda: new_explorer(RARE)),
        (f"before: sources LIKE q={WORD} (title, links)", lambda: old_sources(WORD)),
        (f"after:  sources index q={WORD} (+text, keywords)", lambda: new_sources(WORD)),
        (f"before: sources LIKE q={RARE}", lambda: old_sources(RARE)),
        (f"after:  sources index q={RARE}", lambda: new_sources(RARE)),
        (f"search selector q={WORD} (all kinds, ranked)", lambda: search(WORD)),
        (f"search selector q={TWO_WORDS}", lambda: search(TWO_WORDS)),
        (f"search selector q={RARE}", lambda: search(RARE)),
        (f"search selector q={TYPO} (typo)", lambda: search(TYPO)),
        (f"page /search/?q={WORD}", lambda: page(f"/search/?q={WORD}")),
        (f"page /search/?q={RARE}", lambda: page(f"/search/?q={RARE}")),
        (f"page /search/?q={TYPO}", lambda: page(f"/search/?q={TYPO}")),
        (f"page /explore/?q={WORD}", lambda: page(f"/explore/?q={WORD}")),
        (f"page /explore/?q={RARE}", lambda: page(f"/explore/?q={RARE}")),
    ]


def measure(run, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()  # warm
    with CaptureQueriesContext(connection) as queries:
        run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {"median": statistics.median(times), "p95": p95, "queries": len(queries)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=float, default=1.0, help="browse_data size (1)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per case (20)")
    parser.add_argument("--keep", action="store_true", help="keep the base for the next run")
    args = parser.parse_args()
    env = bench_environment(Path(tempfile.mkdtemp(prefix="spyglass-search-")) / "var")
    env["ALLOWED_HOSTS"] = "testserver"
    print(f"Setup: {describe_setup(env)['database']}")
    migrate(env)
    activate(env)
    from django.test import Client

    from apps.accounts.services import password_generate, user_create
    from benchmarks import browse_data

    if browse_data.is_empty():
        started = time.perf_counter()
        browse_data.build_base(args.size)
        print(f"Built the base (size {args.size}) in {time.perf_counter() - started:.1f} s")
    from django.contrib.auth import get_user_model

    from apps.knowledge.models import Signal
    from apps.sources.models import Source

    if not Source.objects.filter(title__startswith="Seagrass").exists():
        sources = Source.objects.order_by("id")[:RARE_ROWS]
        for n, source in enumerate(sources):
            Source.objects.filter(pk=source.pk).update(title=f"Seagrass meadows {n}")
            Signal.objects.create(source=source, name=f"Seagrass restoration {n}", position=99)

    reader = get_user_model().objects.filter(username="bench-reader").first() or user_create(
        username="bench-reader", role="reader", password=password_generate()
    )
    client = Client()
    client.force_login(reader)
    try:
        print(f"{'case':62} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for name, run in cases(client):
            figures = measure(run, args.runs)
            print(
                f"{name:62} {figures['median']:10.1f} {figures['p95']:8.1f} {figures['queries']:8}"
            )
    finally:
        if not args.keep:
            browse_data.wipe_knowledge()
            browse_data.remove_users()
            reader.delete()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
