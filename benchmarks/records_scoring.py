"""Scoring a classifier's records against hand-written gold records (benchmarks/records.py).

Pure functions on plain data, so they can be tested on tiny inputs and run on any gold set:

- themes match when their stem sets are equal or their Jaccard similarity is at least
  THEME_MATCH (0.5): "air pollution" = "Air Pollution" = "polluted air"; "public health"
  matches "health" (1 of 2 stems); "digital banking" does not match "banking regulation";
- a gold signal is found when a finding's name matches its name (stem Jaccard >=
  NAME_MATCH, 0.5, or the shorter name has two or more stems, all in the longer one:
  "Game streaming" matches "Cloud game streaming"), or the finding's name and description
  are close to the gold signal's name and description (stem-set cosine,
  |A & B| / sqrt(|A| |B|), >= TEXT_MATCH, 0.35, with at least MIN_SHARED, 3, stems in
  common, so that a bare one-word name cannot match a long description);
- a signal's fields are copied when change, 10-year or driving force (non-empty) equals its
  description or another of those fields, compared case-folded without punctuation.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from benchmarks.records_words import is_multiword, junk_reason, normalised, stems

THEME_MATCH = 0.5
NAME_MATCH = 0.5
TEXT_MATCH = 0.35
MIN_SHARED = 3
FINDING_KINDS = ("signals", "behaviors", "technologies", "issues")
# Where a result may list themes it proposes besides `themes` (classifiers being rewritten
# may add such a field); a theme given as an object counts by its "name".
PROPOSED_KEYS = ("proposed_themes", "new_themes", "theme_proposals")
COPYABLE = ("change", "ten_year", "driving_force")


def jaccard(a: frozenset, b: frozenset) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def cosine(a: frozenset, b: frozenset) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def theme_matches(a: str, b: str) -> bool:
    first, second = stems(a), stems(b)
    return bool(first) and (first == second or jaccard(first, second) >= THEME_MATCH)


def names_match(a: str, b: str) -> bool:
    first, second = stems(a), stems(b)
    shorter, longer = sorted((first, second), key=len)
    return jaccard(first, second) >= NAME_MATCH or (len(shorter) >= 2 and shorter <= longer)


def signal_matches(gold: dict, finding: dict) -> bool:
    """Does `finding` (name, description) describe the gold signal (name, description)?"""
    if names_match(gold["name"], finding.get("name", "")):
        return True
    gold_text = stems(f"{gold['name']} {gold.get('description', '')}")
    found_text = stems(f"{finding.get('name', '')} {finding.get('description', '')}")
    shared = len(gold_text & found_text)
    return shared >= MIN_SHARED and cosine(gold_text, found_text) >= TEXT_MATCH


def copied_fields(signal: dict) -> list[str]:
    """The fields of a signal that repeat its description or each other (empty: none)."""
    description = normalised(signal.get("description", ""))
    values = {name: normalised(signal.get(name, "")) for name in COPYABLE}
    copied = []
    for name, value in values.items():
        if not value:
            continue
        others = [v for other, v in values.items() if other != name]
        if value == description or value in others:
            copied.append(name)
    return copied


@dataclass
class PageScore:
    """What one page's record earned; summed over pages by `aggregate`."""

    key: str
    themes_gold: int = 0
    themes_predicted: int = 0
    themes_approved: int = 0
    themes_correct: int = 0  # predicted themes that match a gold theme
    themes_found: int = 0  # gold themes matched by a predicted theme
    category_gold: str = ""
    category_predicted: str = ""
    signals_gold: int = 0
    signals_found: int = 0  # gold signals matched by one of the classifier's signals
    signals_found_any: int = 0  # ... by any finding (signal, behavior, technology, issue)
    signals_predicted: int = 0
    multiword_signals: int = 0
    copied_signals: int = 0
    findings: Counter = field(default_factory=Counter)  # per kind
    junk: Counter = field(default_factory=Counter)  # per kind
    junk_names: list[tuple[str, str, str]] = field(default_factory=list)  # kind, name, reason
    copied_names: list[str] = field(default_factory=list)
    matched: list[tuple[str, str]] = field(default_factory=list)  # gold name, finding name
    missed: list[str] = field(default_factory=list)


def score_page(key: str, gold: dict, result: dict, page_text: str, approved: set) -> PageScore:
    """Score one classifier result (a dict as ClassificationResult.model_dump gives)."""
    score = PageScore(key=key)
    predicted = [
        theme["name"] if isinstance(theme, dict) else str(theme)
        for key in ("themes", *PROPOSED_KEYS)
        for theme in result.get(key) or []
    ]
    score.themes_gold, score.themes_predicted = len(gold["themes"]), len(predicted)
    score.themes_approved = sum(1 for theme in predicted if theme.casefold() in approved)
    score.themes_correct = sum(
        1 for theme in predicted if any(theme_matches(theme, g) for g in gold["themes"])
    )
    score.themes_found = sum(
        1 for g in gold["themes"] if any(theme_matches(theme, g) for theme in predicted)
    )
    score.category_gold = gold["category"].casefold()
    score.category_predicted = (result.get("category") or "").casefold()

    signals = list(result.get("signals") or [])
    every = [f for kind in FINDING_KINDS for f in result.get(kind) or []]
    score.signals_gold, score.signals_predicted = len(gold["signals"]), len(signals)
    for wanted in gold["signals"]:
        hit = next((f for f in signals if signal_matches(wanted, f)), None)
        hit_any = hit or next((f for f in every if signal_matches(wanted, f)), None)
        score.signals_found += hit is not None
        score.signals_found_any += hit_any is not None
        if hit_any is not None:
            score.matched.append((wanted["name"], hit_any["name"]))
        else:
            score.missed.append(wanted["name"])
    for signal in signals:
        score.multiword_signals += is_multiword(signal["name"])
        if copied_fields(signal):
            score.copied_signals += 1
            score.copied_names.append(signal["name"])
    for kind in FINDING_KINDS:
        for finding in result.get(kind) or []:
            score.findings[kind] += 1
            reason = junk_reason(
                finding["name"], page_text=page_text, entities_allowed=kind == "technologies"
            )
            if reason:
                score.junk[kind] += 1
                score.junk_names.append((kind, finding["name"], reason))
    return score


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def aggregate(scores: list[PageScore]) -> dict:
    """The benchmark's figures over all pages (micro-averaged: counts summed, then divided)."""
    total = Counter()
    for score in scores:
        for name in (
            "themes_gold",
            "themes_predicted",
            "themes_approved",
            "themes_correct",
            "themes_found",
            "signals_gold",
            "signals_found",
            "signals_found_any",
            "signals_predicted",
            "multiword_signals",
            "copied_signals",
        ):
            total[name] += getattr(score, name)
    findings = sum((s.findings for s in scores), Counter())
    junk = sum((s.junk for s in scores), Counter())
    pages = len(scores)
    return {
        "pages": pages,
        "theme_precision": _share(total["themes_correct"], total["themes_predicted"]),
        "theme_recall": _share(total["themes_found"], total["themes_gold"]),
        "themes_per_page": _share(total["themes_predicted"], pages),
        "themes_approved_share": _share(total["themes_approved"], total["themes_predicted"]),
        "category_accuracy": _share(
            sum(s.category_gold == s.category_predicted for s in scores), pages
        ),
        "signal_recall": _share(total["signals_found"], total["signals_gold"]),
        "signal_recall_any_finding": _share(total["signals_found_any"], total["signals_gold"]),
        "junk_rate": _share(sum(junk.values()), sum(findings.values())),
        "junk_rate_by_kind": {k: _share(junk[k], findings[k]) for k in FINDING_KINDS},
        "copied_rate": _share(total["copied_signals"], total["signals_predicted"]),
        "pages_with_theme": _share(sum(s.themes_predicted > 0 for s in scores), pages),
        "pages_with_signal": _share(sum(s.signals_predicted > 0 for s in scores), pages),
        "multiword_signal_rate": _share(total["multiword_signals"], total["signals_predicted"]),
        "signals_per_page": _share(total["signals_predicted"], pages),
        "findings": {k: findings[k] for k in FINDING_KINDS},
        "category_confusion": _confusion(scores),
    }


def _confusion(scores: list[PageScore]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for score in sorted(scores, key=lambda s: (s.category_gold, s.category_predicted)):
        row = table.setdefault(score.category_gold, {})
        row[score.category_predicted] = row.get(score.category_predicted, 0) + 1
    return table
