"""The records benchmark's own word handling and junk-name detector."""

import pytest

from benchmarks.records_words import is_multiword, junk_reason, stems

PAGE = (
    "Kylie Jenner sold her stake. The company said people want cloud gaming. "
    "Cloud gaming streams games from data centres. Apple and Google compete. "
    "Revenue rose to 2 billion dollars."
)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("And", "stopwords"),
        ("They", "stopwords"),
        ("", "empty"),
        ("--", "empty"),
        ("Billion", "number or unit"),
        ("$5 billion", "number or unit"),
        ("2019", "number or unit"),
        ("30 %", "number or unit"),
        ("People", "generic word"),
        ("The company", "generic word"),
        ("Data", "generic word"),
        ("Kylie Jenner", "lone entity"),
        ("Apple", "lone entity"),
        ("Cloud gaming", ""),
        ("Cloud Gaming", ""),  # title case, but "cloud" is written in lower case on the page
        ("Open-source LLM fine-tuning on consumer hardware", ""),
        ("Apple and Google rivalry in cloud gaming", ""),
    ],
)
def test_junk_reason(name, reason):
    assert junk_reason(name, page_text=PAGE) == reason


def test_technologies_may_be_named_after_a_product():
    assert junk_reason("Apple", page_text=PAGE, entities_allowed=True) == ""
    assert junk_reason("Billion", page_text=PAGE, entities_allowed=True) == "number or unit"


def test_without_the_page_no_name_is_called_an_entity():
    assert junk_reason("Kylie Jenner") == ""


@pytest.mark.parametrize(
    ("name", "multiword"),
    [
        ("Cloud game streaming", True),
        ("LoRA fine-tuning", True),
        ("The company", False),
        ("Streaming", False),
        ("2 billion dollars", False),
        ("Solar at 10 cents", False),  # cents is a unit
        ("Cheap solar at 10 cents", True),
    ],
)
def test_is_multiword(name, multiword):
    assert is_multiword(name) is multiword


def test_stems_fold_case_inflection_and_function_words():
    assert stems("The Banking of banks") == stems("bank banks") == frozenset({"bank"})
    assert stems("open-source models") == stems("Open source model")
