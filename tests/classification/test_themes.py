"""Themes of the local classifier: approved by meaning, pending reused, new proposals bounded,
and each finding's own themes. Every page here is written by the team."""

import json
import subprocess
import sys
from pathlib import Path

from apps.classification import Page, Vocabulary
from apps.classification.local import LocalClassifier, keywords, proposals, themes
from apps.classification.local.classifier import KEYWORDS, NAMING_PHRASES
from apps.classification.local.keywords import Keyphrase
from apps.classification.local.text import read, words_of

from .topics_support import mini_pages

SOLAR = Page(
    title="Rooftops across the valley now make their own power",
    text=(
        "Households in the valley have covered their roofs with photovoltaic panels over the "
        "past two years. On sunny afternoons the panels feed more electricity into the grid "
        "than the town uses, and the utility now pays for it. A cooperative is building wind "
        "turbines on the ridge, and batteries in garages store the surplus for the evening. "
        "The turbines and panels have cut the valley's coal-fired electricity by half. "
        "Installers say demand for photovoltaic panels keeps growing as prices fall."
    ),
)
FARMS = Page(
    title="Vertical farms open beside the supermarkets",
    text=(
        "Vertical farms grow salad greens in stacked trays under lights. Three vertical farms "
        "opened this year next to supermarkets, and their lettuce reaches the shelves within "
        "hours. The vertical farms recycle their water and use no pesticides. Energy remains "
        "the main cost of the vertical farms, so some run their lights at night."
    ),
)
UNRELATED = Vocabulary.build({"elections": [], "housing": [], "artificial intelligence": ["AI"]})


def _choose(page: Page, vocabulary: Vocabulary) -> list[themes.Match]:
    document = read(page)
    phrases = keywords.extract(document, keep=NAMING_PHRASES)
    return themes.choose(document, phrases[:KEYWORDS], vocabulary, candidates=phrases)


def _phrase(text: str) -> Keyphrase:
    words = tuple(words_of(text))
    return Keyphrase(text=text, words=words, stems=words, score=0.1, count=2)


def test_an_approved_theme_is_matched_by_meaning_when_its_name_is_absent():
    vocabulary = Vocabulary.build(["renewable energy", "elections", "housing"])
    assert "renewable" not in SOLAR.text.lower()

    matches = _choose(SOLAR, vocabulary)

    assert [match.name for match in matches] == ["renewable energy"]
    assert matches[0].approved and 0 < matches[0].confidence < themes.BY_TEXT


def test_a_theme_named_on_the_page_is_more_confident_than_one_matched_by_meaning():
    vocabulary = Vocabulary.build(["renewable energy", "photovoltaic panels"])

    matches = {match.name: match.confidence for match in _choose(SOLAR, vocabulary)}

    assert matches["photovoltaic panels"] > matches["renewable energy"]


def test_when_no_approved_theme_fits_good_keyphrases_are_proposed():
    matches = _choose(FARMS, UNRELATED)

    assert [match.name for match in matches] == ["vertical farms"]
    assert not matches[0].approved and matches[0].confidence <= proposals.PROPOSED


def test_a_pending_proposal_meaning_the_same_is_reused_by_its_exact_name():
    vocabulary = Vocabulary(themes=UNRELATED.themes, proposed=("elephants", "vertical farming"))

    matches = _choose(FARMS, vocabulary)

    assert [(match.name, match.approved) for match in matches] == [("vertical farming", False)]


def test_a_page_without_good_phrases_gets_a_broad_topic():
    page = Page(
        title="Late goal",
        text=(
            "The striker scored in the final minute and the team won the match. The coach "
            "praised the players after the game, and the fans sang in the stadium until the "
            "lights went out. The club is top of the league."
        ),
    )

    matches = _choose(page, UNRELATED)

    assert [(match.name, match.approved) for match in matches] == [("sports", False)]


def test_a_page_not_in_english_gets_no_proposal():
    page = Page(
        title="Senkrechte Farmen",
        text=(
            "Die senkrechten Farmen wachsen in der Stadt. Die senkrechten Farmen brauchen "
            "wenig Wasser und sie liefern den Salat an die Supermärkte in der Nähe."
        ),
        language="de",
    )

    assert _choose(page, UNRELATED) == []


def test_many_pages_on_few_topics_give_a_bounded_number_of_proposals():
    classifier = LocalClassifier()
    pending: list[str] = []
    unmerged: set[str] = set()
    without_theme = 0
    for _, page in mini_pages(200):
        names = classifier.classify(page, Vocabulary(proposed=tuple(pending))).themes
        without_theme += not names
        pending += [name for name in names if name not in pending]
        unmerged |= set(classifier.classify(page, Vocabulary()).themes)

    assert without_theme == 0
    assert len(pending) <= 30
    # Without the pending proposals to reuse, the same pages propose more.
    assert len(pending) < len(unmerged)


def test_each_finding_gets_its_own_themes_from_its_own_text():
    vocabulary = Vocabulary.build(["renewable energy", "elections", "housing"])
    document = read(SOLAR)
    raw = {
        "signals": [
            {
                "name": "Rooftop photovoltaic panels",
                "description": "Households have covered their roofs with photovoltaic panels.",
                "change": "",
            }
        ],
        "issues": [
            {
                "name": "Voter turnout falls",
                "description": "Fewer people voted in the municipal ballot than ever before.",
            }
        ],
    }

    themes.annotate(raw, document, keywords.extract(document), KEYWORDS, vocabulary)

    assert raw["themes"] == ["renewable energy"]
    assert set(raw["theme_confidence"]) == {"renewable energy"}
    assert raw["signals"][0]["themes"] == ["renewable energy"]
    assert raw["issues"][0]["themes"] == ["elections"]


def test_a_finding_far_from_every_theme_gets_none():
    document = read(SOLAR)
    raw = {"behaviors": [{"name": "Knitting circles", "description": "Wool and needles."}]}

    themes.annotate(
        raw, document, keywords.extract(document), KEYWORDS, Vocabulary.build(["elections"])
    )

    assert raw["behaviors"][0]["themes"] == []


def test_the_classifier_emits_confidences_for_the_review_fields(monkeypatch):
    captured = {}
    import apps.classification.local.classifier as module

    real = module.normalise
    monkeypatch.setattr(module, "normalise", lambda raw: captured.update(raw) or real(raw))

    result = LocalClassifier().classify(SOLAR, Vocabulary.build(["renewable energy"]))

    assert result.themes == ["renewable energy"]
    assert set(captured["theme_confidence"]) == {"renewable energy"}
    assert 0 < captured["category_confidence"] <= 1
    findings = [*captured["signals"], *captured["behaviors"], *captured["issues"]]
    assert all(isinstance(finding["themes"], list) for finding in findings)


def test_the_embeddings_load_lazily_and_once_per_process():
    script = (
        "import sys, json\n"
        "from apps.classification import Page, Vocabulary\n"
        "from apps.classification.local import LocalClassifier, meaning\n"
        "before = meaning._MODEL is None\n"
        "c = LocalClassifier()\n"
        "c.classify(Page(title='a', text='Solar panels on roofs. ' * 5), Vocabulary())\n"
        "first = meaning._MODEL\n"
        "c.classify(Page(title='b', text='Wind turbines on hills. ' * 5), Vocabulary())\n"
        "print(json.dumps([before, first is not None, meaning._MODEL is first]))\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    )

    assert json.loads(out.stdout) == [True, True, True]
