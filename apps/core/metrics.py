"""Metrics in Prometheus's text format: pipeline state from the database at each scrape,
and stage durations recorded by the workers (prometheus-client, multiprocess mode)."""

from pathlib import Path

from django.db.models import Count, Sum
from django.utils import timezone
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

STAGE_SECONDS = Histogram(
    "spyglass_stage_seconds",
    "Time one pipeline stage took for one source, by stage and outcome.",
    ["stage", "outcome"],
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 180),
)


class DatabaseCollector:
    """What the database knows at the moment of the scrape."""

    def collect(self):
        from apps.core.health import queue_health
        from apps.sources.models import ClassificationRun, Source

        sources = GaugeMetricFamily(
            "spyglass_sources",
            "Sources in each pipeline state and stage.",
            labels=["status", "stage"],
        )
        for row in Source.objects.order_by().values("status", "stage").annotate(n=Count("id")):
            sources.add_metric([row["status"], row["stage"]], row["n"])
        yield sources

        stopped = GaugeMetricFamily(
            "spyglass_sources_stopped",
            "Sources that stopped without a record (failed, blocked, no content), by reason.",
            labels=["reason"],
        )
        stopped_rows = (
            Source.objects.exclude(failure_code="")
            .exclude(status=Source.Status.DONE)
            .order_by()
            .values("failure_code")
            .annotate(n=Count("id"))
        )
        for row in stopped_rows:
            stopped.add_metric([row["failure_code"]], row["n"])
        yield stopped

        runs = CounterMetricFamily(
            "spyglass_classification_runs", "Classification runs.", labels=["classifier", "outcome"]
        )
        tokens = CounterMetricFamily(
            "spyglass_classifier_tokens",
            "Tokens sent to and received from models.",
            labels=["classifier", "direction"],
        )
        totals = (
            ClassificationRun.objects.order_by()
            .values("classifier", "outcome")
            .annotate(n=Count("id"), sent=Sum("prompt_tokens"), received=Sum("completion_tokens"))
        )
        sent, received = {}, {}
        for row in totals:
            runs.add_metric([row["classifier"], row["outcome"]], row["n"])
            name = row["classifier"]
            sent[name] = sent.get(name, 0) + (row["sent"] or 0)
            received[name] = received.get(name, 0) + (row["received"] or 0)
        for name in sent:
            tokens.add_metric([name, "in"], sent[name])
            tokens.add_metric([name, "out"], received[name])
        yield runs
        yield tokens

        workers = GaugeMetricFamily(
            "spyglass_queue_workers",
            "Workers that reported in the last 60 s, by queue.",
            labels=["queue"],
        )
        for queue in queue_health(timezone.now()):
            workers.add_metric([queue.queue], queue.workers)
        yield workers


def files_reset(folder: Path) -> int:
    """Delete the metrics files of earlier runs; returns how many.

    In multiprocess mode each worker process writes its own file, and the files of
    processes that ended must stay while the stack runs (they hold its totals), so they
    pile up with every pool process a worker replaces. Counters start again from zero
    when the stack restarts, which Prometheus reads as a reset, so that is when to clear.
    """
    removed = 0
    for path in folder.glob("*.db"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def render() -> bytes:
    """Every metric, the workers' histograms summed over their processes."""
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    registry.register(DatabaseCollector())
    return generate_latest(registry)
