"""Themes and categories benchmark: the local classifier's themes, proposals and categories.

    .venv/bin/python benchmarks/themes.py [--limit K]

1. **Coverage and proposals** on ../shared/corpus/article-extraction-benchmark/ (181 real
   pages, their ground-truth text; the first line stands for the title): the pages are
   classified one after another with a small approved vocabulary (`APPROVED`, typical of a
   horizon-scanning base), each page's proposals becoming pending proposals for the next
   (as `vocabulary_now()` does in the pipeline). Printed: the share of pages with at least one
   theme (approved, or proposed), proposals per 100 pages; before (approved themes by name
   only, no proposals: the classifier up to issue 11) and after.
2. **Matching by meaning** on ../shared/corpus/keyphrases-500n-kpcrowd/ (449 news stories
   with text): the names of the corpus's ten categories are the approved themes ("arts and
   culture", "crime", "sports", ...); a story's gold theme is its category's. Printed per
   method (by name only, by name and WordLlama meaning, by name and TF-IDF cosine): recall of
   the gold theme and wrong themes per page.
3. **Category accuracy**, the corpus's categories mapped onto ours as in benchmarks/classify.py:
   cue counts only (before) and cue counts plus meaning (after).
4. **Cost**: milliseconds per page of the themes (with findings' themes) and of the category,
   and how long loading the embeddings takes, once per process.

Exits 0 whatever the figures, and when a corpus is absent (with a message).
"""

import argparse
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(PROJECT_DIR)
elif str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from apps.classification import Page, Vocabulary  # noqa: E402
from apps.classification.local import category, keywords, meaning, themes  # noqa: E402
from apps.classification.local.classifier import KEYWORDS, NAMING_PHRASES  # noqa: E402
from apps.classification.local.text import read, words_of  # noqa: E402
from benchmarks.classify import CATEGORY_MAP  # noqa: E402

CORPUS = PROJECT_DIR.parent / "shared/corpus"
ARTICLES = CORPUS / "article-extraction-benchmark/ground-truth.json"
KPCROWD = CORPUS / "keyphrases-500n-kpcrowd/500N-KPCrowd.jsonl"
APPROVED = [
    "artificial intelligence",
    "climate change",
    "public health",
    "elections",
    "cybersecurity",
    "renewable energy",
    "housing",
    "electric vehicles",
    "space exploration",
    "education",
    "immigration",
    "inflation",
    "social media",
    "privacy",
    "open source",
]
LABELS = {
    "art_and_culture": "arts and culture",
    "business": "business",
    "crime": "crime",
    "fashion": "fashion",
    "health": "health",
    "politics_us": "US politics",
    "politics_world": "world politics",
    "science": "science",
    "sports": "sports",
    "tech": "technology",
}


def coverage(limit: int | None) -> dict:
    truth = json.loads(ARTICLES.read_text(encoding="utf-8"))
    rows = list(truth.values())[:limit]
    vocabulary = Vocabulary.build(APPROVED)
    pending: list[str] = []
    before = after = approved = 0
    seconds = 0.0
    for row in rows:
        text = row["articleBody"]
        page = Page(title=text.split("\n", 1)[0][:200], text=text, url=row.get("url", ""))
        document = read(page)
        phrases = keywords.extract(document, keep=NAMING_PHRASES)
        before += bool(themes._by_name(document, phrases[:KEYWORDS], vocabulary.themes))
        started = time.process_time()
        matches = themes.choose(
            document,
            phrases[:KEYWORDS],
            Vocabulary(themes=vocabulary.themes, proposed=tuple(pending)),
            candidates=phrases,
        )
        seconds += time.process_time() - started
        after += bool(matches)
        approved += any(match.approved for match in matches)
        pending += [m.name for m in matches if not m.approved and m.name not in pending]
    count = len(rows) or 1
    return {
        "pages": len(rows),
        "with_theme_before": round(before / count, 3),
        "with_theme_after": round(after / count, 3),
        "with_approved_theme_after": round(approved / count, 3),
        "proposals_per_100_pages_before": 0.0,
        "proposals_per_100_pages_after": round(100 * len(pending) / count, 1),
        "themes_ms_per_page": round(1000 * seconds / count, 2),
        "proposals": pending,
    }


def matching(limit: int | None) -> dict:
    rows = [json.loads(line) for line in KPCROWD.read_text(encoding="utf-8").splitlines() if line]
    rows = [row for row in rows if row["text"].strip() != row["title"].strip()][:limit]
    vocabulary = Vocabulary.build(list(LABELS.values()))
    idf = _idf([words_of(f"{row['title']} {row['text']}") for row in rows])
    labels = {name: _tfidf(words_of(name), idf) for name in LABELS.values()}
    found: dict[str, Counter] = {"name": Counter(), "meaning": Counter(), "tfidf": Counter()}
    category_hits = Counter()
    category_seconds = 0.0
    for row in rows:
        gold = LABELS[row["category"]]
        page = Page(title=row["title"], text=row["text"])
        document = read(page)
        phrases = keywords.extract(document, keep=NAMING_PHRASES)
        by_name = [m.name for m in themes._by_name(document, phrases[:KEYWORDS], vocabulary.themes)]
        with_meaning = [
            m.name for m in themes._fitting(document, phrases[:KEYWORDS], vocabulary.themes)
        ]
        vector = _tfidf(words_of(f"{row['title']} {row['text']}"), idf)
        with_tfidf = list(by_name) + [
            name
            for name, weights in labels.items()
            if name not in by_name and _cosine(vector, weights) >= TFIDF_THRESHOLD
        ]
        for method, names in (("name", by_name), ("meaning", with_meaning), ("tfidf", with_tfidf)):
            found[method]["hit"] += gold in names
            found[method]["wrong"] += sum(name != gold for name in names)
        mapped = CATEGORY_MAP[row["category"]]
        category_hits["before"] += _by_cues(document) == mapped
        started = time.process_time()
        category_hits["after"] += category.choose(document, Vocabulary().categories) == mapped
        category_seconds += time.process_time() - started
    count = len(rows) or 1
    return {
        "stories": len(rows),
        "theme_recall": {method: round(c["hit"] / count, 3) for method, c in found.items()},
        "wrong_themes_per_page": {
            method: round(c["wrong"] / count, 3) for method, c in found.items()
        },
        "category_accuracy_before": round(category_hits["before"] / count, 3),
        "category_accuracy_after": round(category_hits["after"] / count, 3),
        "category_ms_per_page": round(1000 * category_seconds / count, 2),
    }


# TF-IDF cosine at which a category name counts as matched: chosen so that it assigns about
# as many wrong themes per page as matching by meaning does, for a fair recall comparison.
TFIDF_THRESHOLD = 0.05


def _idf(documents: list[list[str]]) -> dict[str, float]:
    frequency = Counter(word for words in documents for word in set(words))
    return {word: math.log((len(documents) + 1) / (n + 1)) + 1 for word, n in frequency.items()}


def _tfidf(words: list[str], idf: dict[str, float]) -> dict[str, float]:
    counts = Counter(words)
    weights = {w: (1 + math.log(n)) * idf.get(w, 1.0) for w, n in counts.items()}
    norm = math.sqrt(sum(value * value for value in weights.values())) or 1.0
    return {word: value / norm for word, value in weights.items()}


def _cosine(one: dict[str, float], other: dict[str, float]) -> float:
    return sum(value * other.get(word, 0.0) for word, value in one.items())


def _by_cues(document) -> str:
    """The category as chosen before issue 11: the best cue count if dense enough."""
    categories = Vocabulary().categories
    shares = category._cue_shares(document, categories, category._cues(categories))
    best = int(shares.argmax())
    return categories[best] if shares[best] >= category.MIN_SHARE else "others"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first K pages")
    args = parser.parse_args(argv)
    if not ARTICLES.is_file() or not KPCROWD.is_file():
        print(f"skipped: a corpus is absent ({ARTICLES} or {KPCROWD})")
        return 0
    started = time.perf_counter()
    meaning.model()
    print(f"WordLlama loaded in {time.perf_counter() - started:.2f} s (once per process)")
    figures = {"coverage": coverage(args.limit), "matching": matching(args.limit)}
    shown = {key: value for key, value in figures["coverage"].items() if key != "proposals"}
    print(json.dumps({"coverage": shown, "matching": figures["matching"]}, indent=2))
    print("proposals:", ", ".join(figures["coverage"]["proposals"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
