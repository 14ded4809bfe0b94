"""Ingest benchmark: the real pipeline against a plain loop, and what it extracts.

    .venv/bin/python benchmarks/ingest.py [--workers N] [--limit K] [--timeout S]

Serves the pages of ../shared/corpus/article-extraction-benchmark/ from a local HTTP server
and measures, in one run and one isolated environment (see benchmarks/README.md):

- end to end: every page submitted through `urls_submit` and taken to a final state by N
  Celery worker processes (fetch -> extract -> classify, the database and the broker);
- baseline: the same fetch + extract functions in a plain loop over N processes;
- their ratio, peak worker memory, and extraction quality (shingle F1 against the ground
  truth), after re-scoring trafilatura's published output with the same metric code.

Exits 0 whatever the figures (benchmarks report, they do not fail CI); skips with a message
when the corpus is absent. Figures also go to benchmarks/results/ingest-<timestamp>.json.
"""

import argparse
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

# Run as a script (`python benchmarks/ingest.py`): import from the project root, and do not
# let this folder's module names shadow installed packages.
PROJECT_DIR = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(PROJECT_DIR)
elif str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from benchmarks.corpus import ArticleBenchmark, PageServer, article_benchmark  # noqa: E402
from benchmarks.environment import activate, bench_environment, describe_setup, migrate  # noqa: E402
from benchmarks.ingest_report import (  # noqa: E402
    REFERENCE_F1,
    RESULTS_DIR,
    figures_of,
    report,
    write_results,
)
from benchmarks.metrics import quality  # noqa: E402
from benchmarks.workers import CeleryWorkers, vm_hwm_kb  # noqa: E402

# Two phases: fetch + extract workers first (the steps the baseline runs, so the ratio
# compares like with like), then classify workers until every source is final.
FETCH_EXTRACT_QUEUES = "fetch,extract"
CLASSIFY_QUEUES = "classify"
POLL_SECONDS = 0.1


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    # A SIGTERM (or a closed terminal) unwinds like Ctrl-C, so workers and temp dirs go too.
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _interrupt)
    bench = article_benchmark()
    if bench is None:
        print(
            "SKIP ingest benchmark: the corpus ../shared/corpus/article-extraction-benchmark/ "
            "is not there (it sits next to the project, outside the repository)."
        )
        return 0
    truth = bench.ground_truth()
    keys = list(truth)[: args.limit] if args.limit else list(truth)
    truth = {key: truth[key] for key in keys}

    # The metric first, on a published output, so a wrong metric shows in the same run.
    reference = bench.reference_output("trafilatura")
    reference_all = quality(bench.ground_truth(), reference)
    reference_subset = quality(truth, reference)
    print(
        f"Metric check: trafilatura's reference output re-scored: F1 {reference_all.f1:.3f} "
        f"(P {reference_all.precision:.3f}, R {reference_all.recall:.3f}) over "
        f"{reference_all.pages} pages; published {REFERENCE_F1}."
    )

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    load_before = _load()
    if load_before > 0.5:
        print(
            f"Note: the machine is busy before the run (load {load_before:.2f}): other "
            "processes compete for the CPUs, so the figures will be noisy."
        )
    temp_dir = Path(tempfile.mkdtemp(prefix="spyglass-bench-"))
    try:
        env = bench_environment(temp_dir / "var", DJANGO_SETTINGS_MODULE=args.settings)
        setup = describe_setup(env)
        print(f"Setup: {setup['database']}; broker {setup['broker']}; temp dir {temp_dir}")
        migrate(env)
        activate(env)
        _warm_file_cache(bench, keys)
        with PageServer(bench.html_dir) as server:
            urls = {key: server.url_for(key) for key in keys}
            print(f"Serving {len(urls)} pages at {server.base_url}")
            # The baseline runs before and after the end-to-end run and the two are pooled,
            # so a change in the machine's load during the run biases neither side.
            print(f"Baseline: fetch + extract in a Pool of {args.workers} processes ...")
            before = run_baseline(urls, args.workers)
            print(f"  {before['pages_per_second']:.2f} pages/s")
            print(f"End to end: {args.workers} Celery worker processes ...")
            limits = {"timeout": args.timeout, "stall": args.stall}
            keep_logs = RESULTS_DIR / f"ingest-{stamp}"
            pipeline = run_pipeline(urls, args.workers, env, temp_dir, limits, keep_logs)
            print(f"  {pipeline['pages_per_second']:.2f} pages/s")
            print("Baseline again ...")
            after = run_baseline(urls, args.workers)
            print(f"  {after['pages_per_second']:.2f} pages/s")
            baseline = _pooled(before, after)
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)

    figures = figures_of(args, setup, truth, pipeline, baseline, reference_all, reference_subset)
    figures["load_average_1min"] = {"before": round(load_before, 2), "after": _load()}
    report(figures)
    path = write_results(figures, stamp)
    print(f"\nFigures written to {path.relative_to(PROJECT_DIR)}")
    return 0


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _interrupt(number, _frame) -> None:
    raise KeyboardInterrupt(f"signal {number}")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--limit", type=int, default=0, help="only the first K pages")
    parser.add_argument(
        "--timeout", type=float, default=900, help="seconds to wait for the pipeline (900)"
    )
    parser.add_argument(
        "--settings",
        default="config.settings",
        help="Django settings module (default config.settings), e.g. to try broker options",
    )
    parser.add_argument(
        "--stall",
        type=float,
        default=60,
        help="stop waiting when no source changed for this many seconds (60)",
    )
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    return args


def _warm_file_cache(bench: ArticleBenchmark, keys: list[str]) -> None:
    """Read every page once so neither run pays for the first disk read."""
    for key in keys:
        bench.page_path(key).read_bytes()


# --- Baseline: the same fetch + extract functions in a plain loop ------------------------


def run_baseline(urls: dict[str, str], workers: int) -> dict:
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads
    ready = context.Barrier(workers + 1)
    with context.Pool(workers, initializer=_baseline_init, initargs=(ready,)) as pool:
        ready.wait(timeout=120)  # every process has Django and trafilatura loaded
        start, main_cpu = time.perf_counter(), time.process_time()
        results = list(pool.imap_unordered(_baseline_page, urls.items(), chunksize=1))
        elapsed = time.perf_counter() - start
        main_cpu = time.process_time() - main_cpu
    peaks: dict[int, int] = {}
    for result in results:
        peaks[result["pid"]] = max(peaks.get(result["pid"], 0), result["rss_kb"] or 0)
    return {
        "seconds": elapsed,
        "pages_per_second": len(urls) / elapsed,
        "texts": {result["key"]: result["text"] for result in results},
        "statuses": Counter(result["status"] for result in results),
        "not_done": {
            result["key"]: f"{result['status']}: {result['reason']}"
            for result in results
            if result["status"] != "done"
        },
        "cpu_seconds": sum(result["cpu_seconds"] for result in results),
        "main_cpu_seconds": main_cpu,
        "fetch_seconds": sum(result["fetch_seconds"] for result in results),
        "extract_seconds": sum(result["extract_seconds"] for result in results),
        "peak_rss_kb": peaks,
    }


def _pooled(before: dict, after: dict) -> dict:
    """Both baseline runs as one: throughput over their total time, per-run costs averaged."""
    pooled = dict(before)  # texts, statuses and failures of the first run
    pooled["runs_pages_per_second"] = [before["pages_per_second"], after["pages_per_second"]]
    pooled["seconds"] = (before["seconds"] + after["seconds"]) / 2
    pooled["pages_per_second"] = len(before["texts"]) / pooled["seconds"]
    for name in ("cpu_seconds", "main_cpu_seconds", "fetch_seconds", "extract_seconds"):
        pooled[name] = (before[name] + after[name]) / 2
    pooled["peak_rss_kb"] = {**before["peak_rss_kb"], **after["peak_rss_kb"]}
    return pooled


def _baseline_init(ready) -> None:
    import django

    django.setup()
    from apps.sources.pipeline import extract, fetch  # noqa: F401 (load before timing)

    ready.wait(timeout=120)


def _baseline_page(item: tuple[str, str]) -> dict:
    from apps.sources.pipeline.extract import extract
    from apps.sources.pipeline.failures import Blocked, Failure, NoContent
    from apps.sources.pipeline.fetch import FetchLimits, fetch_page

    key, url = item
    text, status, reason = "", "done", ""
    cpu_start = time.process_time()
    start = time.perf_counter()
    fetched = start
    try:
        page = fetch_page(url, FetchLimits.from_settings())
        fetched = time.perf_counter()
        found = extract(
            page.body, content_type=page.content_type, charset=page.charset, url=page.url
        )
        text = found.text
    except Failure as error:
        status, reason = "failed", error.message
    except Blocked as error:
        status, reason = "blocked", error.message
    except NoContent as error:
        status, reason = "no_content", str(error)
    end = time.perf_counter()
    return {
        "cpu_seconds": time.process_time() - cpu_start,
        "key": key,
        "status": status,
        "reason": reason,
        "text": text,
        "fetch_seconds": fetched - start,
        "extract_seconds": end - fetched if fetched > start else 0.0,
        "pid": os.getpid(),
        "rss_kb": vm_hwm_kb(os.getpid()),
    }


# --- End to end: the real service, queue, workers and database ----------------------------


def run_pipeline(
    urls: dict[str, str],
    workers: int,
    env: dict[str, str],
    temp_dir: Path,
    limits: dict,
    keep_logs: Path,
) -> dict:
    """Submit every URL and run the two phases; worker logs are kept if something is off."""
    from django.db.models import Max, Q
    from django.utils import timezone

    from apps.sources.models import Source
    from apps.sources.pipeline.queue import FINAL
    from apps.sources.services import urls_submit

    keys = list(urls)
    already = Source.objects.count()
    if already:
        print(f"  note: the database already holds {already} sources; only this run's count")
    # Phase 1: fetch + extract, timed from submission until no source is before classify.
    pool = CeleryWorkers(workers, FETCH_EXTRACT_QUEUES, env, temp_dir)
    pool.start()
    try:
        started = time.perf_counter()
        pool.wait_ready()
        startup = time.perf_counter() - started

        cpu_before = pool.cpu_seconds()
        start_wall = timezone.now()
        start, main_cpu = time.perf_counter(), time.process_time()
        result = urls_submit("\n".join(urls.values()), note="ingest benchmark")
        submit_seconds = time.perf_counter() - start
        if result.errors:
            print(f"  {len(result.errors)} URLs refused at submission: {result.errors[:3]}")
        ids = {item.source.pk: keys[item.line - 1] for item in result.accepted}
        sources = Source.objects.filter(pk__in=list(ids))
        past_extract = Q(status__in=FINAL) | Q(stage=Source.Stage.CLASSIFY)
        ended_by = _wait_until(sources, ~past_extract, pool, start, limits)
        elapsed = time.perf_counter() - start
        main_cpu = time.process_time() - main_cpu
        cpu = pool.cpu_seconds() - cpu_before
        peaks = pool.peak_rss_kb()  # before stopping: /proc is gone afterwards
        exited = pool.exited()
    finally:
        pool.stop()
    task_seconds = pool.task_seconds()
    pools = [pool]
    # Phase 2: classify, timed from the classify workers' start until every source is final.
    classify_pool = CeleryWorkers(workers, CLASSIFY_QUEUES, env, temp_dir)
    classify_pool.start()
    try:
        classify_pool.wait_ready()
        classify_start = time.perf_counter()
        classify_ended_by = _wait_until(
            sources, ~Q(status__in=FINAL), classify_pool, classify_start, limits
        )
        classify_seconds = time.perf_counter() - classify_start
        for pid, kb in classify_pool.peak_rss_kb().items():
            peaks[pid] = max(kb, peaks.get(pid, 0))
        exited.update(classify_pool.exited())
    finally:
        classify_pool.stop()
    pools.append(classify_pool)
    for name, item in classify_pool.task_seconds().items():
        task_seconds[name] = item
    if classify_ended_by != "all final":
        ended_by = f"{ended_by}; classify: {classify_ended_by}"
    kept_logs = []
    if classify_ended_by != "all final" or exited:
        keep_logs.parent.mkdir(parents=True, exist_ok=True)
        logs = [log for each in pools for log in each.logs]
        for number, log in enumerate(logs, 1):
            kept_logs.append(shutil.copy(log, f"{keep_logs}-worker{number}.log"))
        print(f"  something went wrong: worker logs kept in {', '.join(kept_logs)}")

    rows = Source.objects.filter(pk__in=list(ids))
    last_change = rows.aggregate(last=Max("status_changed_at"))["last"]
    texts, statuses, not_done = {}, Counter(), {}
    for row in rows.values("pk", "status", "failure_message", "extracted_text"):
        key = ids[row["pk"]]
        statuses[row["status"]] += 1
        if row["status"] == Source.Status.DONE:
            texts[key] = row["extracted_text"]
        else:
            not_done[key] = (
                f"{row['status']}: {row['failure_message'] or 'not final when the wait ended'}"
            )
    return {
        "seconds": elapsed,
        "classify_seconds": classify_seconds,
        "all_stages_pages_per_second": len(urls) / (elapsed + classify_seconds),
        "seconds_to_last_final_write": (last_change - start_wall).total_seconds(),
        "submit_seconds": submit_seconds,
        "worker_startup_seconds": startup,
        "pages_per_second": len(urls) / elapsed,
        "ended_by": ended_by,
        "workers_exited": exited,
        "kept_logs": kept_logs,
        "cpu_seconds": cpu,
        "main_cpu_seconds": main_cpu,
        "texts": texts,
        "statuses": statuses,
        "not_done": not_done,
        "task_seconds": task_seconds,
        "peak_rss_kb": peaks,
    }


def _wait_until(sources, waiting, pool: CeleryWorkers, start: float, limits: dict) -> str:
    """Poll the database until no source matches `waiting`; say why the wait ended.

    Also stops when no source has changed for `limits["stall"]` seconds (a lost message:
    without beat's sweeper nothing would send it again), when every worker has died, or
    after `limits["timeout"]` seconds.
    """
    from django.db.models import Count, Max

    last_state, last_change = None, time.perf_counter()
    while True:
        state = sources.aggregate(
            waiting=Count("pk", filter=waiting), changed=Max("status_changed_at")
        )
        now = time.perf_counter()
        if not state["waiting"]:
            return "all final"
        if state != last_state:
            last_state, last_change = state, now
        if len(pool.exited()) == pool.count:
            return "every worker died"
        if now - last_change > limits["stall"]:
            return f"no progress for {limits['stall']:.0f} s"
        if now - start > limits["timeout"]:
            return f"timeout after {limits['timeout']:.0f} s"
        time.sleep(POLL_SECONDS)


# --- Report -------------------------------------------------------------------------------


if __name__ == "__main__":
    sys.exit(main())
