"""The local classifier's category: publisher's section, cue counts plus meaning, confidence.
Every page here is written by the team."""

import pytest

from apps.classification import Page, Vocabulary
from apps.classification.local import category
from apps.classification.local.text import read

CATEGORIES = Vocabulary().categories
# No cue word of any category (data/categories.toml) is in these pages: only meaning decides.
WITHOUT_CUES = {
    "political": (
        "The premier lost a confidence motion in the chamber and called a snap poll. Rival "
        "leaders demanded that the cabinet resign, and the monarch will dissolve the assembly "
        "on Monday."
    ),
    "technology": (
        "The headset projects holograms in front of the eyes and follows the hand with cameras. "
        "Its makers wrote new firmware so that the glasses pair with the handset overnight."
    ),
}


@pytest.mark.parametrize(("expected", "text"), WITHOUT_CUES.items())
def test_a_page_without_cue_words_is_categorised_by_meaning(expected, text):
    document = read(Page(title="News", text=text))
    assert not category._cue_shares(document, CATEGORIES, category._cues(CATEGORIES)).any()

    decided = category.decide(document, CATEGORIES)

    assert decided["category"] == expected
    assert 0 < decided["category_confidence"] < 1


def test_the_publishers_section_decides_with_high_confidence():
    page = Page(url="https://news.example/business/2026/a-story", title="x", text="The premier.")

    assert category.decide(read(page), CATEGORIES) == {
        "category": "business",
        "category_confidence": category.BY_SECTION,
    }


def test_cue_words_still_count():
    text = (
        "Consumer prices rose more slowly this spring. Forecasters expect unemployment to creep "
        "up next year, inflation to ease and interest rates to fall."
    )

    decided = category.decide(read(Page(title="Prices", text=text)), CATEGORIES)

    assert decided["category"] == "economic"


def test_a_sports_report_is_others_as_sport_has_no_category():
    text = (
        "The striker scored twice in the second half and the club climbed to the top of the "
        "league. The goalkeeper saved a penalty, and the fans sang until the final whistle."
    )

    assert category.choose(read(Page(title="Two goals", text=text)), CATEGORIES) == "others"


def test_an_empty_page_is_others_with_no_confidence():
    assert category.decide(read(Page()), CATEGORIES) == {
        "category": "others",
        "category_confidence": 0.0,
    }


def test_only_categories_of_the_vocabulary_are_chosen():
    text = WITHOUT_CUES["political"]

    decided = category.decide(read(Page(title="x", text=text)), ("culture", "sport"))

    assert decided["category"] in ("culture", "sport")
