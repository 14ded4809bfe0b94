"""The local classifier: offline, deterministic, no model; statistics and curated cues."""

from ..base import Page, Vocabulary
from ..limits import MAX_KEYWORDS
from ..schema import ClassificationResult, normalise
from . import category, doctype, findings, keywords, summary, technologies, themes
from .salience import relevancy
from .text import read

# Keyphrases beyond the keywords still name findings and count as evidence for themes.
NAMING_PHRASES = 30
KEYWORDS = min(10, MAX_KEYWORDS)


class LocalClassifier:
    """Every field from the page alone; see docs/classification.md for each method."""

    name = "local"

    def classify(self, page: Page, vocabulary: Vocabulary) -> ClassificationResult:
        document = read(page)
        phrases = keywords.extract(document, keep=NAMING_PHRASES)
        language = (page.language or "en")[:2].lower()
        found = findings.find(document, phrases)
        return _completed(
            {
                "summary": summary.summarise(
                    document, phrases[:KEYWORDS], keywords.stopwords(language)
                ),
                "keywords": [phrase.text for phrase in phrases[:KEYWORDS]],
                **category.decide(document, vocabulary.categories),
                "type": doctype.choose(document, vocabulary.types),
                "signals": [
                    {
                        "name": item.name,
                        "description": item.sentence.text,
                        "change": item.change,
                        "ten_year": item.ten_year,
                        "driving_force": item.driving_force,
                        "relevancy": relevancy(item.score, item.name, item.confidence),
                        "confidence": item.confidence,
                    }
                    for item in found["signals"]
                ],
                "behaviors": _plain(found["behaviors"]),
                "issues": _plain(found["issues"]),
                "technologies": _plain(technologies.find(document, phrases)),
            },
            document,
            phrases,
            vocabulary,
        )


def _completed(raw: dict, document, phrases, vocabulary: Vocabulary) -> ClassificationResult:
    """The page's themes (with confidences) and each finding's own themes, then the limits."""
    return normalise(themes.annotate(raw, document, phrases, KEYWORDS, vocabulary))


def _plain(items: list) -> list[dict]:
    return [
        {
            "name": item.name,
            "description": item.sentence.text,
            "relevancy": relevancy(item.score, item.name, item.confidence),
            "confidence": item.confidence,
        }
        for item in items
    ]
