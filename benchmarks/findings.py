"""Findings benchmark: how good are the local classifier's finding names and signal fields?

    .venv/bin/python benchmarks/findings.py [--limit K] [--show N]

Runs `LocalClassifier` over the article bodies of
../shared/corpus/article-extraction-benchmark/ground-truth.json (181 real news and blog
pages; their `articleBody` is the page text), the English ones only (a fifth of their words
common English function words: 148 pages; the cues are English), and prints:

- junk-name rate over every finding (signals, behaviors, technologies, issues): a name is
  junk when it has fewer than two content words and that word is a stopword, a pronoun, a
  generic word, a number or unit, or capitalised (a lone person, company or place); or when
  it starts or ends on a stopword; or when it is a number. The rules are this script's own,
  written apart from the classifier's filters (target: at most 2 %);
- copied-field rate: signals whose change, 10-year outlook or driving force equals the
  description or another of these fields (compared lower-cased, spacing ignored) (target: 0);
- the share of pages with at least one signal (target: at least 70 %);
- the share of signal names with two or more content words (target: at least 80 %);
- signal fields filled: change, 10-year outlook, driving force;
- pages per second per process, the classifier alone, CPU time (target: at least 10).

`--show N` prints N pages' findings, to read the names. Exits 0 whatever the figures, and
when the corpus is absent (with a message).
"""

import argparse
import json
import re
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(PROJECT_DIR)
elif str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from apps.classification import Page, Vocabulary  # noqa: E402
from apps.classification.local import LocalClassifier  # noqa: E402

CORPUS = PROJECT_DIR.parent / "shared/corpus/article-extraction-benchmark/ground-truth.json"
KINDS = ("signals", "behaviors", "technologies", "issues")

STOPWORDS = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been this that"
    " these those it its they them their he she his her we our you your i me my us who whom"
    " which what when where why how there here not no yes so than then too very can could will"
    " would should may might must do does did has have had about after before over under into"
    " out up down more most some any all each every other such one two three".split()
)
GENERIC = frozenset(
    "people person company companies firm business data money car cars version thing things way"
    " time year years day days week month percent billion million thousand number lot part"
    " world country countries government group news report story stories man men woman women"
    " group team product products service services market issue problem information work user"
    " users customer customers system systems world game games life home house city state"
    " technology platform industry".split()
)
UNITS = frozenset(
    "percent per cent % billion million thousand dollars dollar euros pounds km miles kg"
    " hours minutes seconds years months weeks days".split()
)
_WORD = re.compile(r"[\w'\u2019-]+")


def content_words(name: str) -> list[str]:
    name = re.sub(r"\([^)]*\)", " ", name)
    return [w for w in _WORD.findall(name) if w.lower() not in STOPWORDS]


def junk(name: str) -> bool:
    words = _WORD.findall(re.sub(r"\([^)]*\)", " ", name))
    if not words:
        return True
    if words[0].lower() in STOPWORDS or words[-1].lower() in STOPWORDS:
        return True
    if all(w.replace(".", "").replace(",", "").isdigit() for w in words):
        return True
    content = content_words(name)
    if len(content) >= 2:
        return all(w.lower() in GENERIC | UNITS for w in content)
    if not content:
        return True
    word = content[0]
    return (
        word.lower() in GENERIC | UNITS
        or word[:1].isdigit()
        or (word[:1].isupper() and word[1:].islower() and "(" not in name)
    )


def _same(one: str, other: str) -> bool:
    return bool(one) and " ".join(one.lower().split()) == " ".join(other.lower().split())


def copied(signal) -> bool:
    fields = [signal.change, signal.ten_year, signal.driving_force]
    if any(_same(field, signal.description) for field in fields):
        return True
    return any(_same(fields[i], fields[j]) for i in range(3) for j in range(i + 1, 3))


def english(text: str) -> bool:
    """At least a fifth of the words are common English function words."""
    words = [word.lower() for word in _WORD.findall(text)]
    return bool(words) and sum(word in STOPWORDS for word in words) >= 0.2 * len(words)


def load(limit: int | None) -> list[Page]:
    data = json.loads(CORPUS.read_text(encoding="utf-8"))
    pages = [
        Page(url=row.get("url", ""), text=row["articleBody"], language="en")
        for _, row in sorted(data.items())
        if row.get("articleBody", "").strip() and english(row["articleBody"])
    ]
    return pages[:limit]


def run(pages: list[Page], show: int) -> dict:
    classifier = LocalClassifier()
    vocabulary = Vocabulary()
    classifier.classify(pages[0], vocabulary)  # warm-up: lazy loads are not per-page cost
    names = junk_names = signals = copies = multi = with_signal = 0
    filled = {"change": 0, "ten_year": 0, "driving_force": 0}
    examples: list[str] = []
    cpu = 0.0
    for number, page in enumerate(pages):
        started = time.process_time()
        result = classifier.classify(page, vocabulary)
        cpu += time.process_time() - started
        with_signal += bool(result.signals)
        for kind in KINDS:
            for finding in getattr(result, kind):
                names += 1
                if junk(finding.name):
                    junk_names += 1
                    examples.append(f"{kind}: {finding.name}")
        for signal in result.signals:
            signals += 1
            copies += copied(signal)
            multi += len(content_words(signal.name)) >= 2
            for field in filled:
                filled[field] += bool(getattr(signal, field))
        if number < show:
            print(f"\n== {page.url}")
            for kind in KINDS:
                for finding in getattr(result, kind):
                    extra = ""
                    if kind == "signals":
                        extra = (
                            f" | change={finding.change!r} ten={finding.ten_year[:60]!r}"
                            f" force={finding.driving_force!r}"
                        )
                    print(f"  {kind[:4]} {finding.relevancy} {finding.name!r}{extra}")
    count = len(pages)
    return {
        "pages": count,
        "findings": names,
        "junk_rate": round(junk_names / (names or 1), 4),
        "junk_examples": examples[:40],
        "signals": signals,
        "copied_rate": round(copies / (signals or 1), 4),
        "pages_with_signal": round(with_signal / count, 4),
        "multiword_signal_names": round(multi / (signals or 1), 4),
        "filled": {field: round(n / (signals or 1), 4) for field, n in filled.items()},
        "pages_per_second_cpu": round(count / cpu, 1) if cpu else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first K pages")
    parser.add_argument("--show", type=int, default=0, help="print the findings of N pages")
    args = parser.parse_args(argv)
    if not CORPUS.is_file():
        print(f"skipped: the corpus is absent ({CORPUS})")
        return 0
    figures = run(load(args.limit), args.show)
    print(json.dumps(figures, indent=2))
    targets = [
        ("junk names <= 2%", figures["junk_rate"] <= 0.02),
        ("copied fields = 0", figures["copied_rate"] == 0),
        ("pages with a signal >= 70%", figures["pages_with_signal"] >= 0.7),
        ("multi-word signal names >= 80%", figures["multiword_signal_names"] >= 0.8),
        ("speed >= 10 pages/s", (figures["pages_per_second_cpu"] or 0) >= 10),
    ]
    for name, passed in targets:
        print(f"  {'PASS' if passed else 'MISS'}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
