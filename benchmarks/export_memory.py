"""Export memory benchmark: does an export's peak memory stay flat as the base grows?

    .venv/bin/python benchmarks/export_memory.py [--sizes 500,2000,8000] [--database URL]
        [--no-rss] [--restore]

For each size N it builds a synthetic base of N sources (browse_data's shape: 7 findings
a source, 300 themes scaled, Zipf-like theme use) in a fresh database, then runs through
Django's test Client with an editor's API token, one at a time:

- the CSV export of the signals of the theme most sources carry (the explorer's link);
- the JSON export of every signal;
- the backup zip (GET /api/v1/export/backup).

The answer is read chunk by chunk and thrown away, as a client saving it to disk would.
Two figures per export:

- **traced peak**: tracemalloc's peak of Python allocations during the request, above
  what was allocated before it (exact, but tracing slows the run about twofold);
- **RSS growth**: the process's peak resident size during a second, untraced run, above
  its size before (Linux: /proc/self/clear_refs resets the peak). Coarser: the allocator
  keeps freed memory, so it never shrinks between exports. Skipped with --no-rss.

With --restore it also restores the backup over the base (every source reset to it) and
reports that traced peak: the restore checks the whole zip before writing, so it is not
streamed (docs/backup.md); slow, so use small sizes.

It prints both per size and the ratio largest/smallest: flat means a ratio near 1.
SQLite by default (a fresh file per size); `--database postgres://...` uses that database,
which must be empty (the benchmark deletes what it builds). Exits 0 whatever the figures.
"""

import argparse
import gc
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(PROJECT_DIR)
elif str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from benchmarks.environment import activate, bench_environment, migrate  # noqa: E402

SOURCES_AT_SIZE_1 = 5_000  # browse_data.SOURCES: --size 1 of the browse benchmark
MB = 1024 * 1024
WARM_UP = 20  # sources


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    sizes = sorted(int(n) for n in args.sizes.split(","))
    rows = []
    with tempfile.TemporaryDirectory(prefix="spyglass-export-") as temp:
        overrides = {"ALLOWED_HOSTS": "testserver", "SPYGLASS_API_RATE_LIMIT": "0"}
        if args.database:
            overrides["DATABASE_URL"] = args.database
        env = bench_environment(Path(temp) / "var", **overrides)
        migrate(env)
        activate(env)
        print(f"Database: {'PostgreSQL' if args.database else 'SQLite (temp file)'}")
        measure_size(WARM_UP, rss=False)  # first requests import and cache: not measured
        for size in sizes:
            rows.append(measure_size(size, rss=not args.no_rss, restore=args.restore))
    report(rows)
    return 0


def measure_size(sources: int, *, rss: bool, restore: bool = False) -> dict:
    from benchmarks import browse_data

    if not browse_data.is_empty():
        raise SystemExit("The database is not empty: give a fresh one.")
    started = time.perf_counter()
    base = browse_data.build_base(sources / SOURCES_AT_SIZE_1)
    print(f"{sources:,} sources built in {time.perf_counter() - started:.0f} s")
    try:
        figures = {"sources": sources}
        for name, path in _exports(base):
            figures[name] = _measure(base.token.plaintext, path, rss=rss)
            row = figures[name]
            print(
                f"  {name}: {row['bytes'] / MB:.1f} MB answer in {row['seconds']} s; "
                f"traced peak {row['traced_mb']} MB, RSS growth {row.get('rss_mb', '-')} MB"
            )
        if restore:
            figures["restore"] = _measure_restore()
            print(f"  restore: traced peak {figures['restore']['traced_mb']} MB")
    finally:
        browse_data.wipe_knowledge()
        browse_data.remove_users()
    return figures


def _exports(base) -> list[tuple[str, str]]:
    theme = base.big_themes[0].slug
    return [
        ("csv_theme", f"/api/v1/export/findings/signals?theme={theme}"),
        ("json_all", "/api/v1/export/findings/signals?format=json"),
        ("backup_zip", "/api/v1/export/backup"),
    ]


def _measure(token: str, path: str, *, rss: bool) -> dict:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    size = _download(token, path)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    figures = {"bytes": size, "seconds": round(seconds, 1)}
    figures["traced_mb"] = round((peak - before) / MB, 1)
    if rss:
        gc.collect()
        start = _reset_peak_rss()
        _download(token, path)
        figures["rss_mb"] = round((_status_kb("VmHWM") - start) / 1024, 1)
    return figures


def _measure_restore() -> dict:
    """backup_restore of a backup of the base, over the base, from a file on disk."""
    from apps.records.backup import backup_restore, backup_write

    with tempfile.TemporaryFile() as file:
        backup_write(file)
        file.seek(0)
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        started = time.perf_counter()
        backup_restore(file)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {"traced_mb": round((peak - before) / MB, 1), "seconds": round(seconds, 1)}


def _download(token: str, path: str) -> int:
    """GET `path` and count the answer's bytes without keeping them."""
    from django.test import Client

    response = Client().get(path, secure=True, headers={"Authorization": f"Bearer {token}"})
    if response.status_code != 200:
        raise SystemExit(f"{path}: answered {response.status_code}")
    if response.streaming:
        size = 0
        for chunk in response.streaming_content:
            size += len(chunk)
        response.close()
        return size
    return len(response.content)


def _reset_peak_rss() -> int:
    """Reset this process's peak RSS to its current size (Linux); returns that size in KB."""
    with open("/proc/self/clear_refs", "w") as file:
        file.write("5")
    return _status_kb("VmRSS")


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as file:
        for line in file:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def report(rows: list[dict]) -> None:
    names = [name for name in rows[0] if name != "sources"]
    print("\nPeak memory per export, MB (traced peak / RSS growth):")
    print(f"{'sources':>8}  " + "  ".join(f"{name:>20}" for name in names))
    for row in rows:
        cells = [f"{row[n]['traced_mb']:>9} / {row[n].get('rss_mb', '-'):>8}" for n in names]
        print(f"{row['sources']:>8,}  " + "  ".join(f"{cell:>20}" for cell in cells))
    first, last = rows[0], rows[-1]
    ratios = []
    for n in names:
        traced = _ratio(last[n]["traced_mb"], first[n]["traced_mb"])
        rss = _ratio(last[n].get("rss_mb"), first[n].get("rss_mb"))
        ratios.append(f"{traced:>9} / {rss:>8}")
    label = f"{last['sources'] // first['sources']}x"
    print(f"{'ratio ' + label:>8}  " + "  ".join(f"{cell:>20}" for cell in ratios))


def _ratio(largest, smallest) -> str:
    if largest is None or smallest is None:
        return "-"
    return f"{largest / max(smallest, 0.1):.1f}"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,2000,8000", help="sources per run (500,2000,8000)")
    parser.add_argument("--database", help="an empty PostgreSQL database URL (default SQLite)")
    parser.add_argument("--no-rss", action="store_true", help="skip the untraced RSS runs")
    parser.add_argument("--restore", action="store_true", help="also measure backup_restore")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
