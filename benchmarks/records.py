"""Records benchmark: both classifiers against hand-written gold records (issue 11, part C).

    .venv/bin/python benchmarks/records.py [--gold DIR] [--pages DIR] [--text truth|extracted]
        [--vocabulary FILE] [--classifiers local,llm] [--limit K] [--details]
        [--json PATH] [--baseline PATH]

Runs each classifier in this process on the pages the gold records describe (by default the
31 records of benchmarks/gold/ on ../shared/corpus/article-extraction-benchmark/, with the
ground truth's article body as the text), with the approved themes of
benchmarks/records-themes.txt, and prints theme precision and recall, category accuracy,
gold signal recall, junk-name rate, copied-field rate, pages with a theme and with a signal,
multi-word signal names and pages per second, with the targets. The measures are described
in benchmarks/README.md and in records_scoring.py / records_words.py.

`llm` runs when an endpoint is configured (SPYGLASS_LLM_BASE_URL, SPYGLASS_LLM_MODEL, as for
the application); otherwise a line says it was skipped. Exits 0 whatever the figures, and
when the corpus is absent (with a message).
"""

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(PROJECT_DIR)
elif str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from apps.classification import ClassificationError, Vocabulary, get_classifier  # noqa: E402
from benchmarks.corpus import ARTICLE_BENCHMARK, CORPUS_DIR  # noqa: E402
from benchmarks.records_data import (  # noqa: E402
    TEXT_SOURCES,
    PageSource,
    load_gold,
    load_vocabulary,
)
from benchmarks.records_report import (  # noqa: E402
    print_comparison,
    print_details,
    print_table,
    targets,
)
from benchmarks.records_scoring import aggregate, score_page  # noqa: E402

DEFAULT_GOLD = PROJECT_DIR / "benchmarks" / "gold"
DEFAULT_PAGES = CORPUS_DIR / ARTICLE_BENCHMARK
DEFAULT_VOCABULARY = PROJECT_DIR / "benchmarks" / "records-themes.txt"
CLASSIFIERS = ("local", "llm")


def build_classifier(name: str):
    """The classifier, or a string saying why it is skipped."""
    if name == "llm":
        # The llm classifier reads Django settings (from the environment, as the app does).
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ.setdefault("SECRET_KEY", "records-benchmark-not-a-secret")
        import django

        django.setup()
    try:
        if name == "llm":
            from apps.classification.llm import LLMClassifier

            # Negotiated modes kept in this process only: the benchmark needs no database.
            classifier = LLMClassifier()
        else:
            classifier = get_classifier(name)
        check = getattr(getattr(classifier, "config", None), "check", None)
        if callable(check):
            check()
    except ClassificationError as error:
        return f"skipped: {error}"
    return classifier


def run(classifier, pairs, vocabulary: Vocabulary, approved: set) -> tuple[dict, list]:
    """Classify every (gold, page) pair, timed, and score it."""
    first = pairs[0][1]
    with contextlib.suppress(ClassificationError):  # warm-up: lazy loads are not per-page cost
        classifier.classify(first, vocabulary)
    scores, failures = [], []
    cpu = wall = 0.0
    for gold, page in pairs:
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        try:
            result = classifier.classify(page, vocabulary).model_dump()
        except ClassificationError as error:
            result = {}
            failures.append(f"{gold.key[:12]}: {error}")
        cpu += time.process_time() - started_cpu
        wall += time.perf_counter() - started_wall
        scores.append(score_page(gold.key, gold.as_dict(), result, page.text, approved))
    figures = aggregate(scores)
    figures.update(
        pages_per_second_cpu=round(len(pairs) / cpu, 1) if cpu else None,
        pages_per_second_wall=round(len(pairs) / wall, 1) if wall else None,
        failures=len(failures),
        failure_messages=failures[:20],
        junk_examples=[list(item) for s in scores for item in s.junk_names][:40],
    )
    figures["targets"] = targets(figures)
    return figures, scores


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if not args.pages.is_dir():
        if args.pages == DEFAULT_PAGES:
            print(f"skipped: the corpus is absent ({args.pages})")
            return 0
        print(f"error: no pages folder at {args.pages}", file=sys.stderr)
        return 2
    gold = load_gold(args.gold)
    source = PageSource(args.pages, args.text)
    missing = [record for record in gold if not source.has(record.key)]
    pairs = [(record, source.page(record.key)) for record in gold if source.has(record.key)]
    pairs = pairs[: args.limit] if args.limit else pairs
    if not pairs:
        print(f"skipped: none of the {len(gold)} gold records has a page in {args.pages}")
        return 0
    themes = load_vocabulary(args.vocabulary)
    vocabulary = Vocabulary.build(themes=themes)
    approved = {name.casefold() for name in themes}
    load_before = round(os.getloadavg()[0], 2)
    print(
        f"Records benchmark: {len(pairs)} gold records ({_shown(args.gold)}) on"
        f" {_shown(args.pages)}"
        f" ({source.layout}; text: {_text_label(source)}); {len(themes)} approved themes"
        f" ({args.vocabulary.name})"
    )
    for record in missing:
        print(f"  no page for gold record {record.path.name} (key {record.key})")
    if load_before > 0.5:
        print(f"  warning: load average {load_before} before the run; throughput suffers")

    results: dict[str, dict] = {}
    for name in args.classifiers:
        classifier = build_classifier(name)
        if isinstance(classifier, str):
            print(f"\n{name}: {classifier}")
            results[name] = {"skipped": classifier}
            continue
        figures, scores = run(classifier, pairs, vocabulary, approved)
        results[name] = figures
        print_table(name, figures)
        if args.details:
            print_details(scores)
    if args.baseline:
        _compare(args.baseline, results)
    document = {
        "benchmark": "records",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "gold": _shown(args.gold),
        "pages": _shown(args.pages),
        "text": args.text,
        "vocabulary": args.vocabulary.name,
        "gold_records": len(pairs),
        "commit": _commit(),
        "load_average_1min_before": load_before,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "classifiers": results,
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(f"\nFigures written to {args.json}")
    return 0


def _commit() -> str:
    """The project's git commit, so a figure can be traced to the classifier that made it."""
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return found.stdout.strip()


def _shown(path: Path) -> str:
    """A path relative to the project when it is near it (for the output and the JSON)."""
    relative = os.path.relpath(path.absolute(), PROJECT_DIR)
    return relative if not relative.startswith("../..") else str(path)


def _text_label(source: PageSource) -> str:
    if source.layout != "article-extraction-benchmark":
        return ".txt as is, .html through the project's extraction"
    if source.text_source == "truth":
        return "ground-truth articleBody, title from the HTML"
    return "the project's extraction of the HTML"


def _compare(path: Path, results: dict) -> None:
    before = json.loads(path.read_text(encoding="utf-8")).get("classifiers", {})
    print(f"\nCompared with {path}")
    for name, figures in results.items():
        old = before.get(name)
        if not old or "skipped" in old or "skipped" in figures:
            print(f"\n{name}: no before/after (missing or skipped in one of the runs)")
            continue
        print_comparison(name, old, figures)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="folder of gold records")
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder of pages")
    parser.add_argument("--text", choices=TEXT_SOURCES, default="truth", help="page text")
    parser.add_argument("--vocabulary", type=Path, default=DEFAULT_VOCABULARY)
    parser.add_argument(
        "--classifiers",
        type=lambda value: [v.strip() for v in value.split(",") if v.strip()],
        default=list(CLASSIFIERS),
        help="comma-separated: local,llm",
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first K records")
    parser.add_argument("--details", action="store_true", help="per page: matches, junk")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--baseline", type=Path, default=None, help="a previous --json file")
    args = parser.parse_args(argv)
    unknown = set(args.classifiers) - set(CLASSIFIERS)
    if unknown:
        parser.error(f"unknown classifier(s) {', '.join(sorted(unknown))}; use local,llm")
    return args


if __name__ == "__main__":
    sys.exit(main())
