"""The browse benchmark's backup cases: backup_write of the whole base, backup_restore into
an empty one, each beside a plain baseline (see benchmarks/README.md)."""

import io
import resource
import statistics
import time
import zipfile

from django.db import connection

from apps.records.backup import backup_restore, backup_write
from apps.records.parser import parse_record
from apps.records.services import record_import
from benchmarks.browse_cases import plain_zip
from benchmarks.browse_data import base_counts, wipe_knowledge


class QueryCounter:
    """Counts the queries run inside it (cheap enough to leave on while timing)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports KB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _timed(work) -> tuple[float, int, object]:
    with QueryCounter() as counter:
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
    return seconds, counter.count, result


def measure_backup(runs: int) -> tuple[dict, bytes]:
    """backup_write into memory `runs` times against plain_zip(), in turn, and how far the
    process's peak RSS grew meanwhile. Returns the figures and the last backup's bytes."""
    seconds, baseline, data = [], [], b""
    queries = baseline_queries = 0
    summary = None
    rss_before, rss_growth = peak_rss_mb(), 0.0
    for _ in range(runs):
        out = io.BytesIO()
        took, queries, summary = _timed(lambda out=out: backup_write(out))
        seconds.append(took)
        data = out.getvalue()
        rss_growth = max(rss_growth, peak_rss_mb() - rss_before)
        took, baseline_queries, _ = _timed(plain_zip)
        baseline.append(took)
    median, base = statistics.median(seconds), statistics.median(baseline)
    figures = {
        "name": "backup_write, whole base",
        "runs": runs,
        "median_s": round(median, 2),
        "max_s": round(max(seconds), 2),
        "queries": queries,
        "zip_mb": round(len(data) / 2**20, 2),
        "sources": summary.sources,
        "inexact": len(summary.inexact),
        "rss_growth_mb": round(rss_growth, 1),
        "baseline": "iter_records + render_record into a zip (no manifest, no read-back)",
        "baseline_median_s": round(base, 2),
        "baseline_queries": baseline_queries,
        "ratio": round(median / base, 2) if base else None,
    }
    return figures, data


def _plain_import(data: bytes, actor) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("records/"))
        for name in names:
            record_import(parse_record(archive.read(name), path=name), actor=actor)
    return len(names)


def measure_restore(data: bytes, expected: dict, actor, runs: int) -> dict:
    """Into an emptied base: backup_restore, then (emptied again) record_import of the same
    records parsed from the same zip, `runs` times in turn. The restored counts are checked."""
    seconds, baseline, queries, baseline_queries = [], [], 0, 0
    problem = ""
    for _ in range(runs):
        wipe_knowledge()
        took, queries, result = _timed(lambda: backup_restore(data, actor=actor))
        seconds.append(took)
        restored = base_counts()
        if restored != expected:
            problem = f"restored {restored}, expected {expected}"
        wipe_knowledge()
        took, baseline_queries, _ = _timed(lambda: _plain_import(data, actor))
        baseline.append(took)
    records = expected["sources"] or 1
    median, base = statistics.median(seconds), statistics.median(baseline)
    return {
        "name": "backup_restore into an empty base",
        "runs": runs,
        "median_s": round(median, 2),
        "max_s": round(max(seconds), 2),
        "records_per_s": round(records / median, 1),
        "queries": queries,
        "queries_per_record": round(queries / records, 1),
        "created": result.created,
        "baseline": "record_import of the same records (parsed from the zip)",
        "baseline_median_s": round(base, 2),
        "baseline_queries_per_record": round(baseline_queries / records, 1),
        "ratio": round(median / base, 2) if base else None,
        "problem": problem,
    }
