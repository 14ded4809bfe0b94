import os
import subprocess
import sys
from pathlib import Path

import pytest

from apps.classification import ClassificationResult, Classifier, Page, Vocabulary
from apps.classification.local import LocalClassifier, themes
from apps.classification.local.text import read, split_sentences

from .conftest import load_page

FIXTURES = ["technology", "business", "science", "city", "research"]


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_comes_out_as_a_full_record(classifier, vocabulary, name):
    page = load_page(name)

    result = classifier.classify(page, vocabulary)

    assert isinstance(result, ClassificationResult)
    assert result.summary
    assert 5 <= len(result.keywords) <= 10
    assert result.category in vocabulary.categories
    assert result.type in vocabulary.types
    findings = [*result.signals, *result.behaviors, *result.technologies, *result.issues]
    assert findings
    for finding in findings:
        assert 1 <= finding.relevancy <= 5
        assert finding.name
        assert finding.description in " ".join(page.text.split())


def test_it_is_the_local_classifier_behind_the_common_interface():
    classifier = LocalClassifier()

    assert isinstance(classifier, Classifier)
    assert classifier.name == "local"


@pytest.mark.parametrize("name", FIXTURES)
def test_the_same_page_gives_the_same_result(vocabulary, name):
    page = load_page(name)

    first = LocalClassifier().classify(page, vocabulary)
    again = LocalClassifier().classify(page, vocabulary)

    assert first.model_dump() == again.model_dump()


@pytest.mark.parametrize("name", FIXTURES)
def test_the_summary_is_three_or_four_sentences_of_the_text_in_their_order(
    classifier, vocabulary, name
):
    page = load_page(name)

    sentences = split_sentences(classifier.classify(page, vocabulary).summary)

    assert 3 <= len(sentences) <= 4
    positions = [page.text.index(sentence) for sentence in sentences]
    assert positions == sorted(positions)


def test_keywords_have_no_near_duplicates(classifier, vocabulary):
    keywords = classifier.classify(load_page("technology"), vocabulary).keywords
    lowered = [keyword.lower() for keyword in keywords]

    assert "open models" in lowered
    assert "open" not in lowered and "models" not in lowered
    assert {"lora", "rlhf"} <= set(lowered)


def test_themes_come_only_from_the_vocabulary_by_name_alias_and_plural(classifier):
    vocabulary = Vocabulary.build(
        {
            "open source": [],
            "language models": ["LLM"],
            "e-bike": ["electric bicycle"],
            "solar power": [],
        }
    )
    page = Page(
        title="Open-Source LLMs ride along",
        text=(
            "Open-source projects now ship LLMs that run on a phone. "
            "Couriers switched to E-Bikes last year, and electric bicycles are common. "
            "Blockchain, blockchain and more blockchain: the word the vocabulary lacks. "
            "Nothing here is about the sun."
        ),
    )

    themes = classifier.classify(page, vocabulary).themes

    assert themes == ["open source", "language models", "e-bike"]


def test_a_single_passing_mention_of_a_one_word_theme_is_not_enough():
    vocabulary = Vocabulary.build(["packaging", "retail"])
    page = Page(
        title="A bakery opens",
        text=(
            "A bakery opened on the high street this week with a new oven and three staff. "
            "Its bread comes in paper packaging. Retail rents are high here, and retail "
            "footfall has recovered since the spring."
        ),
    )

    # No keyphrases: a keyphrase naming a theme is evidence enough on its own.
    assert themes.assign(read(page), [], vocabulary) == ["retail"]


@pytest.mark.parametrize(
    ("name", "category", "kind"),
    [
        ("technology", "technology", "blog post"),
        ("business", "business", "news"),
        ("science", "science", "news"),
        ("city", "city", "news"),
        ("research", "technology", "research article"),
    ],
)
def test_category_and_type_follow_the_text_and_the_url(
    classifier, vocabulary, name, category, kind
):
    result = classifier.classify(load_page(name), vocabulary)

    assert (result.category, result.type) == (category, kind)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://arxiv.org/abs/2401.00001", "research article"),
        ("https://doi.org/10.1038/s41586-024-00001-x", "research article"),
        ("https://someone.substack.com/p/on-heat-pumps", "blog post"),
        ("https://medium.com/@someone/on-heat-pumps-1a2b", "blog post"),
        ("https://example.com/blog/on-heat-pumps", "blog post"),
        ("https://www.theguardian.com/environment/2024/jan/02/heat-pumps", "news"),
        ("https://example.com/opinion/heat-pumps-now", "opinion"),
        ("https://www.youtube.com/watch?v=abc", "video"),
    ],
)
def test_the_type_follows_the_url(classifier, vocabulary, url, kind):
    page = Page(url=url, title="Heat pumps", text="Heat pumps are spreading across Europe.")

    assert classifier.classify(page, vocabulary).type == kind


def test_a_publishers_url_section_decides_the_category(classifier, vocabulary):
    page = load_page("technology")
    filed = Page(
        url="https://example.com/science/2024/small-models", title=page.title, text=page.text
    )

    assert classifier.classify(filed, vocabulary).category == "science"


def test_a_page_with_no_category_cue_is_others(classifier, vocabulary):
    page = Page(
        title="Rovers beat Athletic 2-1",
        text="The Rovers scored twice in the second half. Their keeper saved a late penalty.",
    )

    assert classifier.classify(page, vocabulary).category == "others"


def test_only_categories_and_types_of_the_vocabulary_are_chosen(classifier):
    vocabulary = Vocabulary.build(categories=["health", "misc"], types=["article"])

    result = classifier.classify(load_page("science"), vocabulary)

    assert result.category in {"health", "misc"}
    assert result.type == "article"


def test_known_technologies_and_acronyms_are_found(classifier, vocabulary):
    names = [t.name for t in classifier.classify(load_page("technology"), vocabulary).technologies]

    for expected in ("LoRA", "RLHF", "GPU"):
        assert any(expected in name for name in names), expected
    assert "LoRA (Low-Rank Adaptation)" in names


def test_acronyms_match_case_sensitively(classifier, vocabulary):
    page = Page(text="The lora of the valley sings. We walked the lora path at dawn, twice.")

    assert classifier.classify(page, vocabulary).technologies == []


def test_an_unlisted_acronym_in_technical_sentences_is_a_technology_spelled_out(
    classifier, vocabulary
):
    page = Page(
        text=(
            "The model replaces its activation with a gated linear unit variant (GLUV). "
            "Training with GLUV made the model converge faster on the same hardware. "
            "NASA said nothing about it, and NASA rarely does."
        )
    )

    names = [t.name for t in classifier.classify(page, vocabulary).technologies]

    assert "Gated linear unit variant (GLUV)" in names
    assert not any("NASA" in name for name in names)


def test_signals_issues_and_behaviors_come_from_their_cues(classifier, vocabulary):
    result = classifier.classify(load_page("technology"), vocabulary)

    shift = next(s for s in result.signals if s.description.startswith("The shift from closed"))
    assert shift.change == "From closed to open development"
    assert shift.driving_force.startswith("Cost")
    assert any(b.name.startswith("Companies switching to open models") for b in result.behaviors)
    assert any("safety testing" in i.name for i in result.issues)


def test_an_issue_is_named_by_its_problem_noun(classifier, vocabulary):
    issues = classifier.classify(load_page("business"), vocabulary).issues

    assert "Contamination problem" in [issue.name for issue in issues]


def test_an_empty_page_still_gives_a_valid_record(classifier, vocabulary):
    result = classifier.classify(Page(), vocabulary)

    assert result.keywords == [] and result.signals == []
    assert result.category == "others" and result.type == "news"


def test_the_package_needs_no_django():
    code = (
        "import sys; from apps.classification import normalise, Page, Vocabulary; "
        "from apps.classification.local import LocalClassifier; "
        "LocalClassifier().classify(Page(text='Heat pumps spread fast.'), Vocabulary()); "
        "print('django' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    project = Path(__file__).resolve().parents[2]

    done = subprocess.run(
        [sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True
    )

    assert done.stdout.strip() == "False", done.stderr
