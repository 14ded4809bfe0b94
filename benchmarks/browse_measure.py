"""How the browse benchmark times one case: server time, time in SQL, queries, peak memory.

Server time is the wall time of one request through Django's test Client: the whole
handler (middleware, view, forms, templates, serialiser, a streamed body read to its end)
in this process, without a network or a WSGI server in front. Time in SQL is the sum of the
database calls the request made, timed by `connection.execute_wrapper` (the database's work
and the driver's transfer; row-to-object building is outside it). Peak memory is
tracemalloc's peak of the Python heap during one more request (tracemalloc slows Python
down, so that request is not timed).
"""

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection

# Targets of issue 13 ("Search and scale") on the project's 2-core machines.
TARGET_P95_MS = 150
TARGET_OUTSIDE_SQL_MS = 30
TARGET_QUERIES = 10
# An export "streams at a steady memory" when its heap peak for the biggest theme is at most
# this many times the peak for a theme with far fewer rows (plus a small allowance).
STEADY_FACTOR = 1.5
STEADY_ALLOWANCE_MB = 2


class SqlTimer:
    """Counts the queries run inside it and adds up their time."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


@dataclass
class Case:
    name: str
    run: Callable[[], bytes] | None  # one request, returns the body; None: not available
    baseline: Callable[[], object] | None = None
    baseline_label: str = ""
    export: bool = False  # judged on memory, not on latency
    # At most this many timed runs (None: as asked). An export of a third of a million rows
    # takes minutes; three runs show its memory and time as well as fifty would.
    max_runs: int | None = None
    note: str = ""  # e.g. "explorer q (no /search/ page)"
    check: Callable[[bytes], str] | None = None


@dataclass
class Measured:
    case: Case
    runs: int
    seconds: list[float] = field(default_factory=list)
    sql_seconds: list[float] = field(default_factory=list)
    baseline_seconds: list[float] = field(default_factory=list)
    queries: int = 0
    peak_mb: float = 0.0
    answer_bytes: int = 0
    problem: str = ""

    def figures(self) -> dict:
        if not self.seconds:
            return {"name": self.case.name, "available": False, "problem": self.problem}
        outside = [t - s for t, s in zip(self.seconds, self.sql_seconds, strict=True)]
        base = statistics.median(self.baseline_seconds) if self.baseline_seconds else None
        median = statistics.median(self.seconds)
        return {
            "name": self.case.name,
            "available": True,
            "note": self.case.note,
            "export": self.case.export,
            "runs": self.runs,
            "median_ms": _ms(median),
            "p95_ms": _ms(p95(self.seconds)),
            "sql_median_ms": _ms(statistics.median(self.sql_seconds)),
            "outside_sql_median_ms": _ms(statistics.median(outside)),
            "queries": self.queries,
            "peak_mb": round(self.peak_mb, 2),
            "answer_kb": round(self.answer_bytes / 1024, 1),
            "baseline": self.case.baseline_label,
            "baseline_median_ms": _ms(base) if base else None,
            "ratio": round(median / base, 2) if base else None,
            "problem": self.problem,
        }


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(case: Case, runs: int, budget: float = 0, min_runs: int = 5) -> Measured:
    """A warm-up, then `runs` timed requests each followed by its baseline (so load on the
    machine hits both alike), then one request under tracemalloc for the peak memory.

    With a `budget` (seconds), a slow case stops after `min_runs` once the budget is spent;
    the figures say how many runs were made.
    """
    runs = min(runs, case.max_runs or runs)
    min_runs = min(min_runs, runs)
    result = Measured(case, runs)
    deadline = time.perf_counter() + budget if budget else None
    if case.run is None:
        result.problem = case.note or "not available"
        return result
    try:
        body = case.run()
        result.problem = case.check(body) if case.check else ""
        result.answer_bytes = getattr(body, "size", len(body))  # a streamed body: its size
        if case.baseline:
            case.baseline()
        for done in range(runs):
            if deadline and done >= min_runs and time.perf_counter() > deadline:
                break
            with SqlTimer() as sql:
                started = time.perf_counter()
                case.run()
                result.seconds.append(time.perf_counter() - started)
            result.sql_seconds.append(sql.seconds)
            result.queries = sql.count
            if case.baseline:
                started = time.perf_counter()
                case.baseline()
                result.baseline_seconds.append(time.perf_counter() - started)
        result.runs = len(result.seconds)
        result.peak_mb = heap_peak_mb(case.run)
    except Exception as exc:  # one broken page must not hide the others' figures
        result.seconds, result.problem = [], f"failed: {exc}"[:300]
    return result


def heap_peak_mb(work: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def verdicts(row: dict) -> dict[str, bool | None]:
    """PASS (True) / MISS (False) per target; None where a target does not apply."""
    if not row.get("available"):
        return {}
    timed = not row["export"]
    return {
        "p95": row["p95_ms"] <= TARGET_P95_MS if timed else None,
        "outside_sql": row["outside_sql_median_ms"] <= TARGET_OUTSIDE_SQL_MS if timed else None,
        # An export is not a page: it reads 500 rows per round trip (1 + 2 queries a chunk),
        # so its count follows its rows by design; its target is a steady memory.
        "queries": row["queries"] <= TARGET_QUERIES if timed else None,
        "memory": row.get("steady") if row["export"] else None,
    }


def steady(big_mb: float, small_mb: float) -> bool:
    return big_mb <= small_mb * STEADY_FACTOR + STEADY_ALLOWANCE_MB
