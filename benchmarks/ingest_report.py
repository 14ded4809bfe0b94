"""The ingest benchmark's figures: targets, the printed table, the JSON file."""

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.metrics import page_score, quality

PROJECT_DIR = Path(__file__).resolve().parents[1]
RESULTS_DIR = PROJECT_DIR / "benchmarks" / "results"
TARGET_RATIO = 0.7
TARGET_F1 = 0.95
TARGET_RSS_MB = 300
REFERENCE_F1 = 0.958  # trafilatura 2.0.0, published with the corpus


def figures_of(args, setup, truth, pipeline, baseline, reference_all, reference_subset) -> dict:
    import celery
    import trafilatura

    pipeline_quality = quality(truth, pipeline["texts"])
    baseline_quality = quality(truth, baseline["texts"])
    worker_rss_mb = max(pipeline["peak_rss_kb"].values(), default=0) / 1024
    ratio = pipeline["pages_per_second"] / baseline["pages_per_second"]
    from django.conf import settings

    busy = sum(
        item["seconds"]
        for name, item in pipeline["task_seconds"].items()
        if name != "sources.classify"  # the busy share is of the fetch + extract phase
    )
    pages = len(truth)
    lowest = sorted((page_score(truth[key], pipeline["texts"].get(key)).f1, key) for key in truth)[
        :5
    ]
    return {
        "benchmark": "ingest",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "pages": len(truth),
        "workers": args.workers,
        "setup": setup,
        "settings": args.settings,
        "versions": {
            "python": platform.python_version(),
            "trafilatura": trafilatura.__version__,
            "celery": celery.__version__,
        },
        "cpus": os.cpu_count(),
        "end_to_end": {
            "pages_per_second": round(pipeline["pages_per_second"], 3),
            "seconds": round(pipeline["seconds"], 3),
            "seconds_to_last_final_write": round(pipeline["seconds_to_last_final_write"], 3),
            "submit_seconds": round(pipeline["submit_seconds"], 3),
            "worker_startup_seconds": round(pipeline["worker_startup_seconds"], 3),
            "ended_by": pipeline["ended_by"],
            "workers_exited": {str(k): v for k, v in pipeline["workers_exited"].items()},
            "kept_logs": pipeline["kept_logs"],
            "statuses": dict(pipeline["statuses"]),
            "not_done": pipeline["not_done"],
            "task_seconds": {
                name: {"count": item["count"], "seconds": round(item["seconds"], 3)}
                for name, item in sorted(pipeline["task_seconds"].items())
            },
            "worker_busy_fraction": round(busy / (args.workers * pipeline["seconds"]), 3),
            "worker_cpu_seconds": round(pipeline["cpu_seconds"], 2),
            "worker_cpu_ms_per_page": round(1000 * pipeline["cpu_seconds"] / pages, 1),
            "main_process_cpu_seconds": round(pipeline["main_cpu_seconds"], 2),
            "peak_rss_mb_per_process": {
                str(pid): round(kb / 1024, 1) for pid, kb in pipeline["peak_rss_kb"].items()
            },
            "quality": pipeline_quality.as_dict(),
            "lowest_f1_pages": {key: round(f1, 3) for f1, key in lowest},
        },
        "baseline": {
            "pages_per_second": round(baseline["pages_per_second"], 3),
            "runs_pages_per_second": [round(x, 3) for x in baseline["runs_pages_per_second"]],
            "seconds": round(baseline["seconds"], 3),
            "fetch_seconds": round(baseline["fetch_seconds"], 3),
            "extract_seconds": round(baseline["extract_seconds"], 3),
            "worker_cpu_seconds": round(baseline["cpu_seconds"], 2),
            "worker_cpu_ms_per_page": round(1000 * baseline["cpu_seconds"] / pages, 1),
            "main_process_cpu_seconds": round(baseline["main_cpu_seconds"], 2),
            "statuses": dict(baseline["statuses"]),
            "not_done": baseline["not_done"],
            "peak_rss_mb_per_process": {
                str(pid): round(kb / 1024, 1) for pid, kb in baseline["peak_rss_kb"].items()
            },
            "quality": baseline_quality.as_dict(),
        },
        "reference_trafilatura": {
            "all_pages": reference_all.as_dict(),
            "these_pages": reference_subset.as_dict(),
            "published_f1": REFERENCE_F1,
        },
        "ratio": round(ratio, 3),
        "classify_phase": {
            "seconds": round(pipeline["classify_seconds"], 3),
            "pages_per_second": round(pages / max(pipeline["classify_seconds"], 1e-9), 3),
        },
        "all_stages_pages_per_second": round(pipeline["all_stages_pages_per_second"], 3),
        "classifier": getattr(settings, "SPYGLASS_CLASSIFIER", "minimal"),
        "ratio_cpu": round(baseline["cpu_seconds"] / max(pipeline["cpu_seconds"], 1e-9), 3),
        "peak_worker_rss_mb": round(worker_rss_mb, 1),
        "targets": {
            "ratio": {"target": f">= {TARGET_RATIO}", "met": ratio >= TARGET_RATIO},
            "f1": {"target": f">= {TARGET_F1}", "met": pipeline_quality.f1 >= TARGET_F1},
            "peak_worker_rss_mb": {
                "target": f"< {TARGET_RSS_MB}",
                "met": worker_rss_mb < TARGET_RSS_MB,
            },
        },
    }


def report(figures: dict) -> None:
    e2e, base, targets = figures["end_to_end"], figures["baseline"], figures["targets"]
    ref = figures["reference_trafilatura"]
    quality_e2e, quality_base = e2e["quality"], base["quality"]

    def verdict(name: str) -> str:
        return "PASS" if targets[name]["met"] else "MISS"

    def statuses(counts: dict) -> str:
        return ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))

    rows = [
        ("pages", str(figures["pages"]), "", "", ""),
        ("workers (processes)", str(figures["workers"]), "", "", f"{figures['cpus']} CPUs"),
        (
            "pipeline pages/s (fetch + extract)",
            f"{e2e['pages_per_second']:.2f}",
            "",
            "",
            f"{e2e['seconds']:.1f} s from submission until no source waits for fetch or "
            "extract; Celery + DB",
        ),
        (
            "classify phase pages/s",
            f"{figures['classify_phase']['pages_per_second']:.2f}",
            "",
            "",
            f"{figures['classify_phase']['seconds']:.1f} s; classifier "
            f"{figures['classifier']}, then every source final",
        ),
        (
            "all stages pages/s",
            f"{figures['all_stages_pages_per_second']:.2f}",
            "",
            "",
            "submission to every source final (both phases)",
        ),
        (
            "baseline pages/s",
            f"{base['pages_per_second']:.2f}",
            "",
            "",
            f"{base['seconds']:.1f} s; fetch + extract only, Pool loop, no queue or DB; "
            "before/after " + "/".join(f"{x:.1f}" for x in base["runs_pages_per_second"]),
        ),
        ("ratio e2e / baseline", f"{figures['ratio']:.2f}", ">= 0.7", verdict("ratio"), ""),
        (
            "ratio by worker CPU time",
            f"{figures['ratio_cpu']:.2f}",
            "",
            "",
            f"CPU ms/page: baseline {base['worker_cpu_ms_per_page']:.0f}, "
            f"e2e {e2e['worker_cpu_ms_per_page']:.0f} (less sensitive to other load)",
        ),
        (
            "F1 (pipeline, stored text)",
            f"{quality_e2e['f1']:.3f}",
            ">= 0.95",
            verdict("f1"),
            f"P {quality_e2e['precision']:.3f} R {quality_e2e['recall']:.3f}",
        ),
        (
            "F1 (baseline loop)",
            f"{quality_base['f1']:.3f}",
            "",
            "",
            f"P {quality_base['precision']:.3f} R {quality_base['recall']:.3f}",
        ),
        (
            "F1 trafilatura reference",
            f"{ref['all_pages']['f1']:.3f}",
            "~ 0.958",
            "",
            f"published output re-scored, {ref['all_pages']['pages']} pages (metric check)"
            + (
                f"; {ref['these_pages']['f1']:.3f} on these pages"
                if ref["these_pages"]["pages"] != ref["all_pages"]["pages"]
                else ""
            ),
        ),
        (
            "peak worker RSS MB",
            f"{figures['peak_worker_rss_mb']:.0f}",
            "< 300",
            verdict("peak_worker_rss_mb"),
            "max VmHWM of the worker processes: "
            + ", ".join(f"{mb:.0f}" for mb in e2e["peak_rss_mb_per_process"].values()),
        ),
        ("statuses (pipeline)", statuses(e2e["statuses"]), "", "", ""),
        ("statuses (baseline)", statuses(base["statuses"]), "", "", ""),
    ]
    setup = figures["setup"]
    settings = "" if figures["settings"] == "config.settings" else f"; {figures['settings']}"
    print(f"\nIngest benchmark ({setup['database']}; broker {setup['broker']}{settings})\n")
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    header = ("measure", "value", "target", "")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  note")
    for row in rows:
        cells = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        print(f"{cells}  {row[4]}".rstrip())

    print("\nWhere the end-to-end time goes (task run times from the worker logs):")
    for name, item in e2e["task_seconds"].items():
        print(f"  {name:<18} {item['count']:>4} tasks  {item['seconds']:7.2f} s")
    print(
        f"  workers busy in tasks {e2e['worker_busy_fraction']:.0%} of "
        f"{figures['workers']} x {e2e['seconds']:.1f} s; submission took "
        f"{e2e['submit_seconds']:.2f} s; last final write at "
        f"{e2e['seconds_to_last_final_write']:.1f} s; worker start-up "
        f"{e2e['worker_startup_seconds']:.1f} s (not timed)"
    )
    print(
        f"  baseline: fetch {base['fetch_seconds']:.2f} s, extract "
        f"{base['extract_seconds']:.2f} s (wall time in its processes)"
    )
    print(
        f"  main process (HTTP server, submission, polling) CPU: e2e "
        f"{e2e['main_process_cpu_seconds']:.1f} s, "
        f"baseline {base['main_process_cpu_seconds']:.1f} s;"
        f" load average {figures['load_average_1min']['before']} before, "
        f"{figures['load_average_1min']['after']} after"
    )
    if e2e["ended_by"] != "all final":
        print(f"  STOPPED WAITING ({e2e['ended_by']}): sources not final count as empty text")
    for number, why in e2e["workers_exited"].items():
        print(f"  WORKER {number} DIED during the run: {why}")
    if e2e["not_done"]:
        print("\nPages that did not end done (counted as empty text, F1 0):")
        for key, reason in e2e["not_done"].items():
            print(f"  {key[:12]}  {reason}")
    if base["not_done"]:
        print("Baseline pages that did not end done:")
        for key, reason in base["not_done"].items():
            print(f"  {key[:12]}  {reason}")
    print(
        "Lowest pipeline F1 pages: "
        + ", ".join(f"{k[:12]} {v}" for k, v in e2e["lowest_f1_pages"].items())
    )


def write_results(figures: dict, stamp: str) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"ingest-{stamp}.json"
    path.write_text(json.dumps(figures, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return path
