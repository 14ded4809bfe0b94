"""Signal clustering benchmark: each similarity method on the team-written paraphrase set.

    .venv/bin/python benchmarks/clusters.py [--methods wordllama,tfidf] [--thresholds 0.5,0.6]

The set (tests/clusters/fixtures/paraphrases.json) holds groups of signals from different
sources that say the same change in other words, and distractors on neighbouring topics that
are no one's paraphrase. Signals are fed one after another, in the file's order shuffled by a
fixed seed, through the product's own rule (apps/clusters/grouping.py: join the nearest
centroid, else pair with the nearest unclustered signal of another source, both at or above
the threshold). Printed per method and threshold: pairwise precision (pairs put together
that belong together), recall (pairs that belong together and were put together), F1, and
the number of clusters; the figures also go to benchmarks/results/clusters-<timestamp>.json.
Several orders (--orders) are averaged, since the rule is
incremental and order matters.

Methods: `wordllama` (the product's default, offline, apps/classification/local/meaning.py)
and `tfidf` (scikit-learn's TfidfVectorizer fitted on the whole set: an optimistic figure,
since the product would have to fit on data it has not seen yet; when scikit-learn is not
installed the same formula, smooth idf and l2 norm, is computed with NumPy and the table says
so). Exits 0 whatever the figures.
"""

import argparse
import json
import random
import re
import sys
from collections import Counter
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

import numpy as np

PROJECT_DIR = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(PROJECT_DIR)
elif str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from apps.clusters.grouping import MemoryClusters, unit  # noqa: E402

RESULTS_DIR = PROJECT_DIR / "benchmarks" / "results"
FIXTURE = PROJECT_DIR / "tests/clusters/fixtures/paraphrases.json"
THRESHOLDS = {
    "wordllama": [0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8],
    "tfidf": [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5],
}


def load_signals(path: Path = FIXTURE) -> list[dict]:
    return json.loads(path.read_text())["signals"]


def text_of(signal: dict) -> str:
    """What is embedded: the product's text of a signal (apps/clusters/embedding.py)."""
    from apps.clusters.embedding import signal_text

    return signal_text(signal["name"], signal["description"], signal.get("change", ""))


def wordllama_vectors(texts: list[str]) -> np.ndarray:
    from apps.classification.local import meaning

    return meaning.embed(texts)


def tfidf_vectors(texts: list[str]) -> tuple[np.ndarray, str]:
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
    except ImportError:
        return _numpy_tfidf(texts), "tfidf (NumPy; scikit-learn not installed)"
    matrix = TfidfVectorizer(stop_words="english").fit_transform(texts)
    return np.asarray(matrix.toarray(), dtype=np.float32), "tfidf (scikit-learn)"


def _tokens(text: str) -> list[str]:
    return [w for w in re.findall(r"(?u)\b\w\w+\b", text.lower()) if w not in _STOP]


# scikit-learn's English stop list is long; these common words cover the set's sentences.
_STOP = set(
    "a an and are as at be been by for from has have in into is it its more most new no now "
    "of on or such than that the their them they this to was were which will with".split()
)


def _numpy_tfidf(texts: list[str]) -> np.ndarray:
    """TfidfVectorizer's defaults by hand: raw counts * (ln((1+n)/(1+df)) + 1), l2 norm."""
    docs = [Counter(_tokens(text)) for text in texts]
    vocabulary = sorted({w for doc in docs for w in doc})
    index = {w: i for i, w in enumerate(vocabulary)}
    counts = np.zeros((len(docs), len(vocabulary)), dtype=np.float32)
    for row, doc in enumerate(docs):
        for word, count in doc.items():
            counts[row, index[word]] = count
    df = (counts > 0).sum(axis=0)
    idf = np.log((1 + len(docs)) / (1 + df)) + 1
    return unit(counts * idf)


def pairwise(labels: dict, clusters: dict) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of predicted clusters against gold groups."""
    gold = {frozenset(p) for p in combinations(labels, 2) if _same(labels, *p)}
    predicted = {frozenset(p) for members in clusters.values() for p in combinations(members, 2)}
    hits = len(gold & predicted)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _same(labels: dict, one, other) -> bool:
    return labels[one] is not None and labels[one] == labels[other]


def cluster(signals: list[dict], vectors: np.ndarray, threshold: float, seed: int):
    order = list(range(len(signals)))
    random.Random(seed).shuffle(order)
    memory = MemoryClusters(threshold=threshold)
    for i in order:
        memory.add(i, signals[i]["source"], vectors[i])
    return memory


def measure(signals, vectors, threshold: float, orders: int) -> dict:
    labels = {i: s["group"] for i, s in enumerate(signals)}
    runs = [cluster(signals, vectors, threshold, seed) for seed in range(orders)]
    scores = np.array([pairwise(labels, run.members) for run in runs])
    precision, recall, f1 = scores.mean(axis=0)
    return {
        "threshold": threshold,
        "precision": round(float(precision), 3),
        "recall": round(float(recall), 3),
        "f1": round(float(f1), 3),
        "clusters": round(float(np.mean([len(run.members) for run in runs])), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--methods", default="wordllama,tfidf")
    parser.add_argument("--orders", type=int, default=5, help="shuffled orders averaged")
    parser.add_argument("--thresholds", default="", help="comma-separated, for every method")
    args = parser.parse_args(argv)
    signals = load_signals()
    texts = [text_of(s) for s in signals]
    groups = Counter(s["group"] for s in signals if s["group"])
    print(
        f"{len(signals)} signals, {len(groups)} groups of paraphrases, "
        f"{sum(1 for s in signals if not s['group'])} distractors, {args.orders} orders"
    )
    results = {"signals": len(signals), "groups": len(groups), "orders": args.orders, "rows": []}
    print(
        f"{'method':<44} {'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>6} {'clusters':>8}"
    )
    for method in args.methods.split(","):
        if method == "wordllama":
            vectors, label = wordllama_vectors(texts), "wordllama"
        else:
            vectors, label = tfidf_vectors(texts)
        chosen = (
            [float(t) for t in args.thresholds.split(",")]
            if args.thresholds
            else THRESHOLDS[method]
        )
        for threshold in chosen:
            row = measure(signals, vectors, threshold, args.orders)
            results["rows"].append({"method": label, **row})
            print(
                f"{label:<44} {row['threshold']:>9.2f} {row['precision']:>9.3f} "
                f"{row['recall']:>7.3f} {row['f1']:>6.3f} {row['clusters']:>8.1f}"
            )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"clusters-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nFigures written to {path.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
