"""Classification benchmark: the local classifier on 500 news stories with crowd keyphrases.

    .venv/bin/python benchmarks/classify.py [--limit K]

Runs `LocalClassifier` over ../shared/corpus/keyphrases-500n-kpcrowd/500N-KPCrowd.jsonl and
prints, against the crowd's annotations:

- keyword precision, recall and F1 at 10, for the local classifier and for plain YAKE
  (default settings, its top 10) run on the same documents: target local F1 >= YAKE's;
- category accuracy, the corpus's ten categories mapped onto ours (the mapping is printed);
- documents per second per process, for the whole classification (every field), from the
  process's CPU time (wall time printed too): target >= 20.

Keyphrases are compared lower-cased, punctuation removed (the crowd's keyphrases were
written without it: "Deadlinecom", "3-Day" as "3Day"), each word Snowball-stemmed. P@10 is
the share of a document's (up to) 10 keywords found among its gold keyphrases, R@10 the
share of its gold keyphrases found among them; both averaged over documents, with F1@10 the
mean of the per-document F1s. Documents whose text is only their title (51 of 500 in this
release) are skipped: nothing can be extracted from them.

Exits 0 whatever the figures, and when the corpus is absent (with a message). Figures also go
to benchmarks/results/classify-<timestamp>.json.
"""

import argparse
import json
import os
import platform
import re
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

# Run as a script (`python benchmarks/classify.py`): import from the project root, and do not
# let this folder's module names shadow installed packages.
PROJECT_DIR = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(PROJECT_DIR)
elif str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

import snowballstemmer  # noqa: E402
import yake  # noqa: E402

from apps.classification import Page, Vocabulary  # noqa: E402
from apps.classification.local import LocalClassifier  # noqa: E402

CORPUS = PROJECT_DIR.parent / "shared/corpus/keyphrases-500n-kpcrowd/500N-KPCrowd.jsonl"
RESULTS_DIR = PROJECT_DIR / "benchmarks" / "results"
AT = 10
TARGET_DOCS_PER_SECOND = 20
# The corpus's categories onto ours (the defaults of the knowledge app, a STEEP-like set).
# Culture, crime, fashion and health are social in STEEP; sport has no category of its own.
CATEGORY_MAP = {
    "art_and_culture": "social",
    "business": "business",
    "crime": "social",
    "fashion": "social",
    "health": "social",
    "politics_us": "political",
    "politics_world": "political",
    "science": "science",
    "sports": "others",
    "tech": "technology",
}

_STEMMER = snowballstemmer.stemmer("english")
_PUNCTUATION = re.compile(r"[^\w\s]")


def normalise(phrase: str) -> str:
    """Lower case, punctuation removed, each word stemmed."""
    return " ".join(_STEMMER.stemWords(_PUNCTUATION.sub("", phrase.lower()).split()))


def score(predicted: list[str], gold: set[str]) -> tuple[float, float, float]:
    """Precision, recall and F1 of one document's top AT keywords."""
    top: list[str] = []
    for phrase in map(normalise, predicted):
        if phrase and phrase not in top:
            top.append(phrase)
    top = top[:AT]
    hits = len(set(top) & gold)
    precision = hits / len(top) if top else 0.0
    recall = hits / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def mean_scores(scores: list[tuple[float, float, float]]) -> dict[str, float]:
    count = len(scores) or 1
    return {
        name: round(sum(row[i] for row in scores) / count, 4)
        for i, name in enumerate(("precision", "recall", "f1"))
    }


def load(limit: int | None) -> tuple[list[dict], int]:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]
    usable = [row for row in rows if row["text"].strip() != row["title"].strip()]
    return usable[:limit], len(rows) - len(usable)


def run(rows: list[dict]) -> dict:
    classifier = LocalClassifier()
    vocabulary = Vocabulary()
    plain_yake = yake.KeywordExtractor(top=AT)
    # One warm-up page: lazy loads (stopwords, curated lists) are not per-document cost.
    classifier.classify(Page(title=rows[0]["title"], text=rows[0]["text"]), vocabulary)

    local_scores, yake_scores = [], []
    confusion: Counter = Counter()
    cpu = wall = yake_cpu = 0.0
    for row in rows:
        gold = {normalise(phrase) for phrase in row["keyphrases"]} - {""}
        page = Page(title=row["title"], text=row["text"])
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        result = classifier.classify(page, vocabulary)
        cpu += time.process_time() - started_cpu
        wall += time.perf_counter() - started_wall
        local_scores.append(score(result.keywords, gold))
        confusion[(row["category"], result.category)] += 1

        started_cpu = time.process_time()
        keywords = [keyword for keyword, _ in plain_yake.extract_keywords(row["text"])]
        yake_cpu += time.process_time() - started_cpu
        yake_scores.append(score(keywords, gold))

    correct = sum(n for (theirs, ours), n in confusion.items() if CATEGORY_MAP[theirs] == ours)
    return {
        "documents": len(rows),
        "local_keywords_at_10": mean_scores(local_scores),
        "yake_keywords_at_10": mean_scores(yake_scores),
        "category_accuracy": round(correct / len(rows), 4),
        "category_confusion": _confusion_table(confusion),
        "docs_per_second_cpu": round(len(rows) / cpu, 1) if cpu else None,
        "docs_per_second_wall": round(len(rows) / wall, 1) if wall else None,
        "yake_docs_per_second_cpu": round(len(rows) / yake_cpu, 1) if yake_cpu else None,
    }


def _confusion_table(confusion: Counter) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for (theirs, ours), count in sorted(confusion.items()):
        table.setdefault(theirs, {})[ours] = count
    return table


def report(figures: dict, skipped: int, load_before: float) -> None:
    local, plain = figures["local_keywords_at_10"], figures["yake_keywords_at_10"]
    print(f"500N-KPCrowd: {figures['documents']} documents ({skipped} skipped: text = title)")
    if load_before > 0.5:
        print(f"  warning: load average {load_before} before the run; throughput suffers")
    print("\nKeywords at 10 (lower-cased, punctuation removed, Snowball-stemmed)")
    print(f"  {'':12} {'P@10':>7} {'R@10':>7} {'F1@10':>7}")
    for name, row in (("local", local), ("plain YAKE", plain)):
        print(f"  {name:12} {row['precision']:7.4f} {row['recall']:7.4f} {row['f1']:7.4f}")
    print("\nCategory mapping (corpus -> ours) and what the local classifier chose")
    for theirs, ours in CATEGORY_MAP.items():
        chosen = figures["category_confusion"].get(theirs, {})
        spread = ", ".join(
            f"{name} {count}" for name, count in sorted(chosen.items(), key=lambda x: -x[1])
        )
        print(f"  {theirs:16} -> {ours:11} | {spread}")
    print(f"  category accuracy: {figures['category_accuracy']:.4f}")
    print(
        f"\nThroughput: {figures['docs_per_second_cpu']} documents/s per process (CPU time),"
        f" {figures['docs_per_second_wall']} wall; plain YAKE alone"
        f" {figures['yake_docs_per_second_cpu']} (CPU)"
    )
    print("\nTargets")
    for name, passed, detail in targets(figures):
        print(f"  {'PASS' if passed else 'MISS'}  {name}: {detail}")


def targets(figures: dict) -> list[tuple[str, bool, str]]:
    speed = figures["docs_per_second_cpu"] or 0.0
    local, plain = figures["local_keywords_at_10"]["f1"], figures["yake_keywords_at_10"]["f1"]
    return [
        (
            "throughput",
            speed >= TARGET_DOCS_PER_SECOND,
            f"{speed} >= {TARGET_DOCS_PER_SECOND} docs/s",
        ),
        ("keyword F1@10", local >= plain, f"local {local:.4f} >= plain YAKE {plain:.4f}"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first K documents")
    args = parser.parse_args(argv)
    if not CORPUS.is_file():
        print(f"skipped: the corpus is absent ({CORPUS})")
        return 0
    rows, skipped = load(args.limit)
    load_before = round(os.getloadavg()[0], 2)
    figures = run(rows)
    report(figures, skipped, load_before)
    figures.update(
        skipped_title_only=skipped,
        category_map=CATEGORY_MAP,
        targets={name: passed for name, passed, _ in targets(figures)},
        load_average_1min_before=load_before,
        python=platform.python_version(),
        yake=getattr(yake, "__version__", "unknown"),
        cpus=os.cpu_count(),
    )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"classify-{stamp}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"\nFigures written to {path.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
