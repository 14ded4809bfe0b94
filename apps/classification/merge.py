"""The records of a long page's parts, merged into one (the `llm` classifier, docs/llm.md)."""

import re
from collections import Counter

from .cleaning import name_key
from .schema import ClassificationResult, normalise

FINDING_KINDS = ("signals", "behaviors", "technologies", "issues")


def merge_results(results: list[ClassificationResult]) -> ClassificationResult:
    """The records of a page's parts as one: the first part's summary; keywords and themes in
    order of appearance; the commonest category and type (the first part's on a tie);
    findings de-duplicated by normalised name, keeping the most relevant and filling its
    empty fields from the others, most relevant first."""
    if len(results) == 1:
        return results[0]
    dumps = [result.model_dump() for result in results]
    merged = dict(dumps[0])
    for key in ("keywords", "themes"):
        merged[key] = [label for dump in dumps for label in dump[key]]
    for key in ("category", "type"):
        counts = Counter(dump[key] for dump in dumps if dump[key])
        if counts:
            top = max(counts.values())
            merged[key] = next(dump[key] for dump in dumps if counts.get(dump[key]) == top)
    for key in FINDING_KINDS:
        merged[key] = _merge_findings(finding for dump in dumps for finding in dump[key])
    return normalise(merged)


def _merge_findings(findings) -> list[dict]:
    kept: dict[str, dict] = {}
    for finding in findings:
        key = finding_key(finding.get("name", ""))
        if key not in kept:
            kept[key] = dict(finding)
            continue
        mine, theirs = kept[key], finding
        if theirs.get("relevancy", 0) > mine.get("relevancy", 0):
            mine, theirs = dict(theirs), mine
        for name, value in theirs.items():
            if isinstance(value, list) and isinstance(mine.get(name), list):
                mine[name] = mine[name] + [item for item in value if item not in mine[name]]
            elif mine.get(name) in ("", None, []):
                mine[name] = value
        kept[key] = mine
    return sorted(kept.values(), key=lambda finding: -finding.get("relevancy", 0))


_ARTICLE = re.compile(r"^(?:the|a|an) ")


def finding_key(name: str) -> str:
    """Names that differ in case, spacing, hyphens, a leading article or a plural match."""
    words = _ARTICLE.sub("", name_key(name).replace("-", " ")).split()
    return " ".join(_singular(word) for word in words)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word
